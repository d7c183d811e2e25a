import {
  type DetachVolumeRequest,
  type DetachVolumeResult,
  isBrokerError,
  type Volume,
} from '@hybrid-broker/core';
import {
  detachedFrom,
  planForcedDetach,
  type ResolvedCallOptions,
  settleDetach,
} from '@hybrid-broker/core/driver-kit';
import { askNovaFirst, forceInCinder, novaGraceMs, stillOn } from './force-detach.js';
import { toVolume } from './openstack-mapping.js';
import { type OpenStackOps, settleVolume, waitOn } from './openstack-ops.js';

/**
 * A forced detach: Nova's own detach first, given a grace to finish, then Cinder's
 * os-force_detach for what is left; the wait is Cinder's alone (see force-detach.ts).
 */
export async function forceDetachOn(
  ops: OpenStackOps,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<DetachVolumeResult> {
  const [, first] = await Promise.all([ops.getServer(request, call), ops.getVolume(request, call)]);
  const volume = await settleDetach<Volume>(
    {
      view: (v) => v,
      plan: (v) => planForcedDetach(request.serverId, v, true),
      settle: () => settleVolume(ops, call, request),
    },
    call,
    first,
  );
  if (!stillOn(volume, request.serverId)) return { volume, detached: false };
  const released = (c: ResolvedCallOptions) =>
    waitOn(ops, c, 'force-detach', ops.reads.watchVolume(request.volumeId), false, (watch) => ({
      description: `volume ${request.volumeId} to be force-detached from server ${request.serverId}`,
      probe: async (signal) => toVolume(await watch.read(signal), ops.region),
      stateOf: (v) => v.providerStatus,
      check: detachedFrom(request.serverId),
    }));
  const wait = call.wait;
  let graceUsed = 0;
  if (volume.providerStatus === 'in-use' && (await askNovaFirst(ops.nova, request, call)) && wait) {
    // Nova took its DELETE; the grace is a wait, and Cinder's force that may follow picks no device.
    sent();
    const started = ops.clock.now();
    const grace = novaGraceMs(wait.timeoutMs);
    try {
      return { volume: await released({ ...call, wait: { ...wait, timeoutMs: grace } }), detached: true };
    } catch (error) {
      // Nova's detach did not finish in the grace (or ended in an error state): force it.
      if (!isBrokerError(error, 'timeout', 'provider-error')) throw error;
    }
    graceUsed = ops.clock.now() - started;
  }
  await forceInCinder(ops.cinder, request, call);
  sent();
  // Cinder's answer after the force, as for a plain detach, not the volume as read before it.
  if (wait === false) return { volume: await ops.getVolume(request, call), detached: true };
  const done = await released({
    ...call,
    wait: { ...wait, timeoutMs: Math.max(0, wait.timeoutMs - graceUsed) },
  });
  return { volume: done, detached: true };
}
