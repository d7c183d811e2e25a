import type { PlatformDriver, RetryPolicy, WaitOptions } from '@hybrid-broker/core';
import { resolveCallOptions } from '@hybrid-broker/core/driver-kit';
import { createSnapshotOn } from './create-snapshot.js';
import { deleteSnapshotOn } from './delete-snapshot.js';
import type { OpenStackOps } from './openstack-ops.js';
import { getSnapshotOn, listSnapshotsOn } from './snapshot-reads.js';

/** What the snapshot calls read of the driver, at call time (it is built in its constructor). */
export interface SnapshotHost {
  readonly ops: OpenStackOps;
  readonly wait?: WaitOptions | undefined;
  readonly retry?: RetryPolicy | undefined;
}

/** The OpenStack driver's four snapshot calls, over Cinder `/snapshots`. */
export function openStackSnapshotCalls(
  host: () => SnapshotHost,
): Required<Pick<PlatformDriver, 'createSnapshot' | 'getSnapshot' | 'listSnapshots' | 'deleteSnapshot'>> {
  return {
    createSnapshot: (request, options) => {
      const { ops, wait, retry } = host();
      return createSnapshotOn(request, resolveCallOptions(options, wait), { ops, retry });
    },
    getSnapshot: (request, options) => getSnapshotOn(host().ops, request, options?.signal),
    listSnapshots: (filter = {}, options) => listSnapshotsOn(host().ops, filter, options?.signal),
    deleteSnapshot: (request, options) => {
      const { ops, wait } = host();
      return deleteSnapshotOn(ops, request, resolveCallOptions(options, wait));
    },
  };
}
