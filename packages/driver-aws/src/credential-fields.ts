import type { AwsDriverConfig } from './aws-config.js';
import { codeForEc2Error } from './ec2-errors.js';

/** The SDK's middleware stack, the one step used here, so this file needs no SDK types. */
export interface InitializeStackLike {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * Where the credentials came from and which fields were set, by name only:
 * `platforms.aws.credentials: accessKeyId, secretAccessKey`.
 */
export function credentialSource(platform: string, credentials: AwsDriverConfig['credentials']): string {
  const at = `platforms.${platform}.credentials`;
  if (credentials === undefined) return `${at}: none, the SDK's default chain`;
  const fields = Object.entries(credentials)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  return `${at}: ${fields.join(', ')}`;
}

/**
 * Adds to an AWS refusal of the credentials (AuthFailure, InvalidClientTokenId, ...) which
 * credential fields were used, so a wrong key pair is told from a missing session token or
 * a stale profile. Outermost (the initialize step), so it sees only the last attempt's error.
 */
export function addCredentialFields(stack: InitializeStackLike, source: string): void {
  stack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && codeForEc2Error(error.name, undefined) === 'auth-failed') {
          error.message = `${error.message} (${source})`;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'hybridBrokerCredentialFields' },
  );
}
