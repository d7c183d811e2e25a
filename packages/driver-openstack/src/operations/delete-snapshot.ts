import type { DeleteSnapshotResult, SnapshotRef } from '@hybrid-broker/core';
import { isBrokerError } from '@hybrid-broker/core';
import { type ResolvedCallOptions, verdict } from '@hybrid-broker/core/driver-kit';
import { checkOpenStackId } from '../common/openstack-ids.js';
import type { OpenStackOps } from './openstack-ops.js';
import { snapshotOrGone, waitSnapshot } from './snapshot-reads.js';

/**
 * Cinder `DELETE /snapshots/{id}`, then a wait until a read answers 404. A snapshot
 * already gone is `{ deleted: false }`; one still `creating` is waited out first, as
 * Cinder deletes only an `available` or `error` one; one already `deleting` is not sent again.
 */
export async function deleteSnapshotOn(
  ops: OpenStackOps,
  { snapshotId }: SnapshotRef,
  call: ResolvedCallOptions,
): Promise<DeleteSnapshotResult> {
  checkOpenStackId('snapshot', snapshotId, 'snapshotId');
  let snapshot = await snapshotOrGone(ops, snapshotId, call.signal);
  if (snapshot === undefined) return { snapshotId, deleted: false };
  if (snapshot.status === 'creating' && call.wait !== false) {
    snapshot = await waitSnapshot(ops, call, snapshotId, 'to leave creating', (s) =>
      s?.status === 'creating' ? verdict.pending : verdict.done,
    );
    if (snapshot === undefined) return { snapshotId, deleted: false };
  }
  if (snapshot.status !== 'deleting') {
    try {
      await ops.cinder.snapshots.delete(snapshotId, call.signal);
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return { snapshotId, deleted: false };
      throw error;
    }
  }
  if (call.wait === false) return { snapshotId, deleted: true };
  await waitSnapshot(ops, call, snapshotId, 'to be deleted', (s) => {
    if (s === undefined) return verdict.done;
    if (s.providerStatus === 'error_deleting')
      return verdict.failed(`snapshot ${snapshotId} went to error_deleting`);
    return verdict.pending;
  });
  return { snapshotId, deleted: true };
}
