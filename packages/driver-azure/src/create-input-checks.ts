import { BrokerError, type CreateServerRequest } from '@hybrid-broker/core';
import { markerKeyError } from '@hybrid-broker/core/driver-kit';
import { IDEMPOTENCY_TAG } from './resource-state.js';

/** ARM's limit on `osProfile.customData`: the decoded binary array is at most 65 535 bytes. */
export const AZURE_CUSTOM_DATA_MAX_BYTES = 65_535;

/**
 * The createServer fields ARM would refuse or the driver would misread,
 * checked before any request: user data over ARM's custom data limit (in
 * bytes, not characters), and the driver's own idempotency tag in
 * `metadata`, which would otherwise be silently replaced or, without a key,
 * forge one.
 */
export function checkAzureCreateInput(request: CreateServerRequest): void {
  const reserved = Object.keys(request.metadata ?? {}).find((k) => k.toLowerCase() === IDEMPOTENCY_TAG);
  if (reserved !== undefined) throw markerKeyError(`metadata.${reserved}`, reserved);
  if (request.userData !== undefined) {
    const bytes = Buffer.byteLength(request.userData, 'utf8');
    if (bytes > AZURE_CUSTOM_DATA_MAX_BYTES) {
      throw new BrokerError(
        'invalid-request',
        `userData: ${bytes} bytes; Azure custom data takes at most ${AZURE_CUSTOM_DATA_MAX_BYTES} bytes before base64 encoding`,
        { field: 'userData', retryable: false },
      );
    }
  }
}
