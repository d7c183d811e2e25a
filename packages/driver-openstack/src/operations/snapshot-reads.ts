import { isBrokerError, type Snapshot, type SnapshotFilter, type SnapshotRef } from '@hybrid-broker/core';
import {
  type ResolvedCallOptions,
  type ResolvedWaitOptions,
  type WaitVerdict,
  waitFor,
} from '@hybrid-broker/core/driver-kit';
import { checkOpenStackId } from '../common/openstack-ids.js';
import type { OpenStackOps } from './openstack-ops.js';
import { toSnapshot } from './snapshot-mapping.js';

/** `GET /snapshots/{id}`, the id checked first (`invalid-request` naming the field). */
export async function getSnapshotOn(
  ops: OpenStackOps,
  { snapshotId }: SnapshotRef,
  signal: AbortSignal | undefined,
): Promise<Snapshot> {
  checkOpenStackId('snapshot', snapshotId, 'snapshotId');
  return toSnapshot(await ops.cinder.snapshots.get(snapshotId, signal));
}

/** `GET /snapshots/detail` with Cinder's own `volume_id` and `metadata` filters, every page read. */
export async function listSnapshotsOn(
  ops: OpenStackOps,
  filter: SnapshotFilter,
  signal: AbortSignal | undefined,
): Promise<Snapshot[]> {
  if (filter.volumeId !== undefined) checkOpenStackId('volume', filter.volumeId, 'volumeId');
  const listed = await ops.cinder.snapshots.list(filter, signal);
  return listed.map(toSnapshot);
}

/** The snapshot now, or undefined once Cinder answers 404. */
export async function snapshotOrGone(
  ops: OpenStackOps,
  id: string,
  signal: AbortSignal | undefined,
): Promise<Snapshot | undefined> {
  try {
    return toSnapshot(await ops.cinder.snapshots.get(id, signal));
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}

/** One wait over the snapshot's reads (core's waiter; `undefined` is a snapshot gone). */
export function waitSnapshot(
  ops: OpenStackOps,
  call: ResolvedCallOptions,
  id: string,
  what: string,
  check: (snapshot: Snapshot | undefined) => WaitVerdict,
): Promise<Snapshot | undefined> {
  return waitFor<Snapshot | undefined>({
    description: `snapshot ${id} ${what}`,
    probe: (signal) => snapshotOrGone(ops, id, signal),
    stateOf: (s) => s?.providerStatus ?? 'gone',
    check,
    options: call.wait as ResolvedWaitOptions,
    signal: call.signal,
    clock: ops.clock,
    emit: ops.emit,
  });
}
