import type { CallOptions, PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';
import { validateMetadataRequest } from '../metadata-schemas.js';
import type { MetadataOperation } from '../metadata-types.js';

/**
 * The body of a metadata call inside the runtime's policies: the request validated (naming the
 * field), then refused as `invalid-request` on a driver without capability `metadata` or without
 * the method, as the power calls are refused, before anything is sent.
 */
export function metadataCall<K extends MetadataOperation>(
  driver: PlatformDriver,
  operation: K,
  request: unknown,
  options: CallOptions | undefined,
): ReturnType<NonNullable<PlatformDriver[K]>> {
  const valid = validateMetadataRequest[operation](request);
  const method = driver[operation];
  if (method === undefined || !resolveCapabilities(driver.capabilities).metadata) {
    throw new BrokerError(
      'invalid-request',
      `the ${driver.kind} driver cannot ${operation} (capability metadata is not declared)`,
      { field: 'platform' },
    );
  }
  // Each method takes its own request type; the validator of the same operation made it.
  return (method as (r: unknown, o?: CallOptions) => ReturnType<NonNullable<PlatformDriver[K]>>).call(
    driver,
    valid,
    options,
  );
}
