import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { AzureDriverConfig } from './azure-config.js';

/**
 * Where the credentials came from and which fields were set, by name only:
 * `platforms.az.credentials: type, tenantId, clientId, clientSecret`. A custom
 * `token-credential` object says only its type: its fields are its own.
 */
export function credentialSource(platform: string, credentials: AzureDriverConfig['credentials']): string {
  const at = `platforms.${platform}.credentials`;
  if (credentials.type === 'token-credential') return `${at}: type (token-credential)`;
  const fields = Object.entries(credentials)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  return `${at}: ${fields.join(', ')} (${credentials.type})`;
}

/**
 * `credential`, its refusals (Entra ID's AuthenticationError, CredentialUnavailableError)
 * ending with which credential fields were used, so a wrong secret is told from a wrong
 * tenant or client id. The message only: the error keeps its class and name.
 */
export function namingCredentialFields(credential: TokenCredential, source: string): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        if (error instanceof Error && /Credential|Authentication/.test(error.name)) {
          error.message = `${error.message} (${source})`;
        }
        throw error;
      }
    },
  };
}
