import type { TokenCredential } from '@azure/identity';
import { authorityOptions } from './authority-options.js';
import type { AzureDriverConfig } from './azure-config.js';

/**
 * The Entra ID credential the config asks for. `@azure/identity` is imported
 * here, on first use, so importing the package does not load it.
 */
export async function createCredential(config: AzureDriverConfig): Promise<TokenCredential> {
  const credentials = config.credentials;
  if (credentials.type === 'token-credential') return credentials.credential;
  const identity = await import('@azure/identity');
  const authority = await authorityOptions(config);
  switch (credentials.type) {
    case 'client-secret':
      // the one place the secret is revealed: handed to MSAL, which sends it to Entra ID only
      return new identity.ClientSecretCredential(
        credentials.tenantId,
        credentials.clientId,
        credentials.clientSecret.reveal(),
        authority,
      );
    case 'client-certificate':
      return new identity.ClientCertificateCredential(
        credentials.tenantId,
        credentials.clientId,
        { certificatePath: credentials.certificatePath },
        authority,
      );
    case 'managed-identity':
      return credentials.clientId === undefined
        ? new identity.ManagedIdentityCredential()
        : new identity.ManagedIdentityCredential({ clientId: credentials.clientId });
    case 'default':
      return new identity.DefaultAzureCredential(authority);
  }
}
