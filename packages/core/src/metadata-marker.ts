import { BrokerError } from './errors.js';
import { REQUEST_DIGEST_KEY } from './request-digest.js';

/**
 * The one refusal of a caller's write to a key the driver writes itself on keyed creates (its
 * idempotency marker, or the request digest beside it): a caller's value would forge a key's
 * resource or be silently replaced, and a remove would orphan it. `field` names where the key
 * came from (`metadata.<key>`, `set.<key>`, `remove`).
 */
export function markerKeyError(field: string, key: string): BrokerError {
  return new BrokerError(
    'invalid-request',
    `${field}: "${key}" is the driver's own idempotency marker; pass idempotencyKey instead, and never set or remove it`,
    { field, retryable: false },
  );
}

/**
 * Throws {@link markerKeyError} for the first of `keys` that is `marker` or the request
 * digest's key. `ignoreCase` for clouds whose tag names are case-insensitive (Azure).
 */
export function refuseMarkerKeys(
  keys: Iterable<string>,
  marker: string,
  fieldOf: (key: string) => string,
  ignoreCase = false,
): void {
  const own = [marker, REQUEST_DIGEST_KEY].map((k) => (ignoreCase ? k.toLowerCase() : k));
  for (const key of keys) {
    if (own.includes(ignoreCase ? key.toLowerCase() : key)) throw markerKeyError(fieldOf(key), key);
  }
}
