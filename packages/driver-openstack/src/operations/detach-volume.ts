import {
  BrokerError,
  type DetachVolumeRequest,
  type DetachVolumeResult,
  isBrokerError,
  type Volume,
} from '@hybrid-broker/core';
import {
  detachedFrom,
  isErrorStatus,
  planDetach,
  type ResolvedCallOptions,
  runDetach,
  verdict,
} from '@hybrid-broker/core/driver-kit';
import type { CinderVolume } from '../cinder/cinder-schemas.js';
import { toVolume } from './openstack-mapping.js';
import { type OpenStackOps, orGone, settleVolume, waitOn } from './openstack-ops.js';
import { serverListsVolume } from './volumes-attached.js';

/**
 * Nova's detach through core's engine: read both sides, settle a transition under way,
 * DELETE the attachment, then wait until Cinder and Nova both let it go.
 * `sent` is called once Nova took the DELETE (or one was under way).
 */
export function detachVolumeOn(
  ops: OpenStackOps,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<DetachVolumeResult> {
  return runDetach<Volume>(
    {
      // The server read makes a detach from a missing server `not-found`, not a silent no-op.
      read: async () => (await Promise.all([ops.getServer(request, call), ops.getVolume(request, call)]))[1],
      view: (volume) => volume,
      plan: (volume) => planDetach(request.serverId, volume),
      settle: () => settleVolume(ops, call, request),
      send: (volume) => sendDetach(ops, request, call, volume),
      // Cinder's own answer after the DELETE (`detaching`), not the volume as read before it.
      unwaited: () => ops.getVolume(request, call),
      waitDetached: () => detachWait(ops, request, call),
    },
    call,
    sent,
  );
}

/** Nova's DELETE of the attachment, unless one is under way; a volume when Nova no longer knew it. */
async function sendDetach(
  ops: OpenStackOps,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
  volume: Volume,
): Promise<Volume | undefined> {
  if (isErrorStatus(volume.providerStatus)) {
    // Cinder refuses to begin a detach from an error state; say so without asking Nova.
    throw new BrokerError(
      'provider-error',
      `volume ${volume.id} is in ${volume.providerStatus}; it cannot be detached`,
      {
        lastState: volume,
        providerCode: volume.providerStatus,
      },
    );
  }
  // A detach already under way is waited for, not sent again.
  if (volume.providerStatus === 'detaching') return undefined;
  try {
    await ops.nova.detachVolume(request.serverId, request.volumeId, call.signal);
    return undefined;
  } catch (error) {
    if (!isBrokerError(error, 'not-found')) throw error;
    // Nova no longer knows the attachment: it went away between our read and the DELETE.
    const now = await ops.getVolume(request, call);
    if (!now.attachments.some((a) => a.serverId === request.serverId)) return now;
    throw error;
  }
}

/** What a detach wait reads on each poll: Cinder's volume and whether Nova still lists it. */
interface DetachProbe {
  readonly volume: Volume;
  readonly novaLists: boolean;
}

/**
 * Waits on both sides: Cinder can say `available` while Nova still lists the attachment for
 * a moment, and an attach in that window is refused (openstack/heat waits for Nova's 404 likewise).
 */
async function detachWait(
  ops: OpenStackOps,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<Volume> {
  const released = detachedFrom(request.serverId);
  const novaLists = (signal: AbortSignal | undefined) =>
    ops.nova.hasVolumeAttachment(request.serverId, request.volumeId, signal);
  const watch = ops.reads.watchVolume(request.volumeId);
  const serverWatch = ops.reads.watchServer(request.serverId);
  const volumeOf = async (signal: AbortSignal | undefined) => toVolume(await watch.read(signal), ops.region);
  // Nova's side once Cinder is done: from the shared server list (its volumes_attached) when
  // the server's reads are shared, so concurrent detaches cost no request each; else Nova's
  // attachment API, as always.
  const novaSide = async (signal: AbortSignal | undefined): Promise<boolean> => {
    if (serverWatch.shared?.sharing) {
      const listed = serverListsVolume(await orGone(serverWatch.read(signal)), request.volumeId);
      if (listed !== undefined) return listed;
    }
    return novaLists(signal);
  };
  // While the wait shares its reads, Cinder's side comes from the shared list and Nova is
  // asked only once Cinder is done; alone, both are read on every poll, as always.
  const probe = async (signal: AbortSignal | undefined): Promise<DetachProbe> => {
    if (watch.shared?.sharing) {
      const volume = await volumeOf(signal);
      return { volume, novaLists: released(volume).done ? await novaSide(signal) : false };
    }
    const [volume, lists] = await Promise.all([volumeOf(signal), novaLists(signal)]);
    return { volume, novaLists: lists };
  };
  try {
    const done = await waitOn<DetachProbe, CinderVolume>(ops, call, 'detach', watch, true, () => ({
      description: `volume ${request.volumeId} to be detached from server ${request.serverId} in Cinder and Nova`,
      probe,
      stateOf: (p) =>
        p.novaLists ? `${p.volume.providerStatus}, still listed by nova` : p.volume.providerStatus,
      check: (p) => {
        const cinder = released(p.volume);
        return cinder.done && p.novaLists ? verdict.pending : cinder;
      },
    }));
    return done.volume;
  } finally {
    serverWatch.close();
  }
}
