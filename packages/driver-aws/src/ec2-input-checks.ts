import { BrokerError, type CreateServerRequest } from '@hybrid-broker/core';
import { markerKeyError } from '@hybrid-broker/core/driver-kit';
import { IDEMPOTENCY_TAG } from './client-token.js';

/** EC2 resource ids: a prefix and 8 (older) or 17 lowercase hex digits, e.g. `i-0abcd1234ef567890`. */
const EC2_ID = { instance: /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, volume: /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/ };

/** EC2's user data limit: 16 KB "in raw form, before it is base64-encoded" (EC2 User Guide). */
export const EC2_USER_DATA_MAX_BYTES = 16 * 1024;

/**
 * Refuses an id EC2 could not hold before anything is sent: EC2 answers
 * `*.Malformed`, and a malformed id is a caller's mistake, not a verdict
 * that the resource is gone (`deleteServer('../x')` must not read as
 * "already deleted").
 */
export function checkEc2Id(kind: 'instance' | 'volume', id: string, field: string): void {
  if (EC2_ID[kind].test(id)) return;
  const example = kind === 'instance' ? 'i-0abcd1234ef567890' : 'vol-0abcd1234ef567890';
  throw new BrokerError(
    'invalid-request',
    `${field}: expected an EC2 ${kind} id (${kind === 'instance' ? 'i-' : 'vol-'} and 8 or 17 hex digits, e.g. ${example}), got ${JSON.stringify(id.slice(0, 40))}`,
    { field, retryable: false },
  );
}

/**
 * The createServer fields EC2 would refuse or misread: the `Name` tag is the
 * request's `name` (a second Name tag would silently replace it), user data
 * over 16 KB before encoding, tag keys EC2 reserves (`aws:`) and the
 * driver's own idempotency tag (a caller's would forge or replace it).
 */
export function checkCreateInput(request: CreateServerRequest): void {
  for (const key of Object.keys(request.metadata ?? {})) {
    if (key === 'Name') {
      throw new BrokerError(
        'invalid-request',
        'metadata.Name: the Name tag is the server name on EC2; set it with `name`, not in metadata',
        { field: 'metadata.Name', retryable: false },
      );
    }
    if (key === IDEMPOTENCY_TAG) throw markerKeyError(`metadata.${key}`, key);
    if (key.toLowerCase().startsWith('aws:')) {
      throw new BrokerError(
        'invalid-request',
        `metadata.${key}: tag keys starting with "aws:" are reserved by AWS`,
        {
          field: `metadata.${key}`,
          retryable: false,
        },
      );
    }
  }
  if (request.userData !== undefined) {
    const bytes = Buffer.byteLength(request.userData, 'utf8');
    if (bytes > EC2_USER_DATA_MAX_BYTES) {
      throw new BrokerError(
        'invalid-request',
        `userData: ${bytes} bytes; EC2 takes at most ${EC2_USER_DATA_MAX_BYTES} bytes (16 KB) before base64 encoding`,
        { field: 'userData', retryable: false },
      );
    }
  }
}
