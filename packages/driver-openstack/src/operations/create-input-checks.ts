import { BrokerError, type CreateServerRequest } from '@hybrid-broker/core';
import { markerKeyError } from '@hybrid-broker/core/driver-kit';

/** Nova's limit on `user_data`: 65 535 characters of the base64 text (its request schema's maxLength). */
export const NOVA_USER_DATA_MAX_BASE64 = 65_535;

/**
 * The createServer fields Nova would refuse or the driver would misread,
 * checked before any request (name look-ups included): user data whose base64
 * form exceeds Nova's limit, and a metadata key the driver itself writes
 * (`reserved`, the idempotency marker), which would otherwise be silently
 * replaced or, without a key, forge one.
 */
export function checkNovaCreateInput(request: CreateServerRequest, reserved: string): void {
  if (request.metadata && Object.hasOwn(request.metadata, reserved))
    throw markerKeyError(`metadata.${reserved}`, reserved);
  if (request.userData !== undefined) {
    const bytes = Buffer.byteLength(request.userData, 'utf8');
    const encoded = 4 * Math.ceil(bytes / 3);
    if (encoded > NOVA_USER_DATA_MAX_BASE64) {
      throw new BrokerError(
        'invalid-request',
        `userData: ${bytes} bytes are ${encoded} characters in base64; Nova takes at most ${NOVA_USER_DATA_MAX_BASE64} (about 48 KB before encoding)`,
        { field: 'userData', retryable: false },
      );
    }
  }
}
