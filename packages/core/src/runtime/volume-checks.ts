import type { PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';
import type { VolumeRef } from '../types.js';
import { validateVolumeRequest } from '../volume-request-schemas.js';
import type { CreateVolumeRequest } from '../volume-types.js';

/** The driver's volume operation, or `invalid-request` naming the operation when it has none. */
export function volumeOperation<K extends 'createVolume' | 'deleteVolume'>(
  driver: PlatformDriver,
  operation: K,
): NonNullable<PlatformDriver[K]> {
  const method = driver[operation];
  if (method === undefined || !resolveCapabilities(driver.capabilities).volumeLifecycle) {
    throw new BrokerError(
      'invalid-request',
      `the ${driver.kind} driver cannot ${operation} (no volumeLifecycle)`,
      {
        field: 'platform',
      },
    );
  }
  return method.bind(driver) as NonNullable<PlatformDriver[K]>;
}

/** A createVolume request checked against its schema and what the driver can make a volume from. */
export function checkCreateVolume(request: unknown, driver: PlatformDriver): CreateVolumeRequest {
  const valid = validateVolumeRequest.createVolume(request);
  const can = resolveCapabilities(driver.capabilities);
  if (valid.fromImageId !== undefined && !can.volumeFromImage) {
    throw new BrokerError('invalid-request', `driver ${driver.kind} cannot make a volume from an image`, {
      field: 'fromImageId',
    });
  }
  if (valid.fromSnapshotId !== undefined && !can.volumeFromSnapshot) {
    throw new BrokerError('invalid-request', `driver ${driver.kind} cannot make a volume from a snapshot`, {
      field: 'fromSnapshotId',
    });
  }
  return valid;
}

/** A deleteVolume request checked against its schema. */
export function checkDeleteVolume(request: unknown): VolumeRef {
  return validateVolumeRequest.deleteVolume(request);
}
