import {
  BrokerError,
  type DeleteVolumeResult,
  isBrokerError,
  type Volume,
  type VolumeRef,
} from '@hybrid-broker/core';
import { type ResolvedCallOptions, verdict } from '@hybrid-broker/core/driver-kit';
import { checkOpenStackId } from '../common/openstack-ids.js';
import { waitVolume } from './create-volume.js';
import { toVolume } from './openstack-mapping.js';
import { type OpenStackOps, waitOn } from './openstack-ops.js';

/**
 * Cinder `DELETE /volumes/{id}`, then a wait until a read answers 404. A
 * volume already gone is `{ deleted: false }`; an attached one is refused
 * before anything is sent (`invalid-state` naming its holder: deleting
 * attached data is never the library's call). One still `creating` is waited
 * out first, as Cinder deletes none. Cinder's 400 for a volume with snapshots
 * says so only among other reasons, so the snapshots are listed and named.
 */
export async function deleteVolumeOn(
  ops: OpenStackOps,
  request: VolumeRef,
  call: ResolvedCallOptions,
): Promise<DeleteVolumeResult> {
  const { volumeId } = request;
  checkOpenStackId('volume', volumeId, 'volumeId');
  let volume = await readOrGone(ops, volumeId, call.signal);
  if (volume === undefined) return { volumeId, deleted: false };
  refuseAttached(volume);
  if (volume.providerStatus === 'creating' && call.wait !== false) {
    volume = await waitVolume(ops, call, volumeId, 'to leave creating', (v) =>
      v.providerStatus === 'creating' ? verdict.pending : verdict.done,
    );
  }
  if (volume.status !== 'deleting') {
    try {
      await ops.cinder.deleteVolume(volumeId, call.signal);
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return { volumeId, deleted: false };
      if (isBrokerError(error, 'invalid-request') && error.statusCode === 400)
        await explainRefusal(ops, volumeId, call, error);
      throw error;
    }
  }
  if (call.wait === false) return { volumeId, deleted: true };
  await waitOn<Volume | undefined, unknown>(
    ops,
    call,
    'deleteVolume',
    ops.reads.watchVolume(volumeId),
    true,
    (watch) => ({
      description: `volume ${volumeId} to be deleted`,
      probe: async (signal) => {
        try {
          return toVolume((await watch.read(signal)) as Parameters<typeof toVolume>[0], ops.region);
        } catch (error) {
          if (isBrokerError(error, 'not-found')) return undefined;
          throw error;
        }
      },
      stateOf: (v) => v?.providerStatus ?? 'gone',
      check: (v) => {
        if (v === undefined) return verdict.done;
        if (v.providerStatus === 'error_deleting')
          return verdict.failed(`volume ${volumeId} went to error_deleting`);
        return verdict.pending;
      },
    }),
  );
  return { volumeId, deleted: true };
}

async function readOrGone(ops: OpenStackOps, volumeId: string, signal: AbortSignal | undefined) {
  try {
    return await ops.getVolume({ volumeId }, { ...(signal ? { signal } : {}) });
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}

/** An attached volume is `invalid-state` naming its holder (the first attachment's server). */
function refuseAttached(volume: Volume): void {
  const holder = volume.attachments[0];
  if (holder === undefined) return;
  throw new BrokerError(
    'invalid-state',
    `volume ${volume.id} is attached to server ${holder.serverId}; detach it first (deleteVolume never forces)`,
    { heldBy: holder.serverId, lastState: volume.providerStatus },
  );
}

/** Turns Cinder's 400 into `invalid-state` where the volume is attached now or has snapshots. */
async function explainRefusal(
  ops: OpenStackOps,
  volumeId: string,
  call: ResolvedCallOptions,
  cause: BrokerError,
): Promise<void> {
  const volume = await readOrGone(ops, volumeId, call.signal);
  if (volume) refuseAttached(volume);
  const snapshots = await ops.cinder.snapshotsOf(volumeId, call.signal).catch(() => []);
  if (snapshots.length === 0) return;
  const named = snapshots.map((s) => (s.name ? `${s.id} (${s.name})` : s.id)).join(', ');
  throw new BrokerError('invalid-state', `volume ${volumeId} has snapshots: ${named}; delete them first`, {
    cause,
    statusCode: 400,
    ...(volume ? { lastState: volume.providerStatus } : {}),
  });
}
