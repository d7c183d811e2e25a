import type { PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';
import { validateSnapshotRequest } from '../snapshots/snapshot-schemas.js';

/** The snapshot operations a driver may offer. */
export type SnapshotOperation = 'createSnapshot' | 'getSnapshot' | 'listSnapshots' | 'deleteSnapshot';

const VALIDATE = {
  createSnapshot: validateSnapshotRequest.createSnapshot,
  getSnapshot: validateSnapshotRequest.snapshotRef,
  listSnapshots: validateSnapshotRequest.snapshotFilter,
  deleteSnapshot: validateSnapshotRequest.snapshotRef,
} as const;

/**
 * The body of a snapshot call inside the runtime's policies: the request validated (naming the
 * field), then refused as `invalid-request` on a driver without capability `snapshots` or without
 * the method, as the power and volume calls are refused, before anything is sent.
 */
export function snapshotCall<K extends SnapshotOperation>(
  driver: PlatformDriver,
  operation: K,
  request: unknown,
  options: Parameters<NonNullable<PlatformDriver[K]>>[1],
): ReturnType<NonNullable<PlatformDriver[K]>> {
  const valid = VALIDATE[operation](request);
  const method = driver[operation];
  if (method === undefined || !resolveCapabilities(driver.capabilities).snapshots) {
    throw new BrokerError('invalid-request', `the ${driver.kind} driver cannot ${operation} (no snapshots)`, {
      field: 'platform',
    });
  }
  // Each method takes its own request type; the validator of the same operation made it.
  const call = method as (r: unknown, o?: unknown) => ReturnType<NonNullable<PlatformDriver[K]>>;
  return call.call(driver, valid, options);
}
