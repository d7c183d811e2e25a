import {
  type AttachVolumeRequest,
  BrokerError,
  isBrokerError,
  type ServerRef,
  type Volume,
  type VolumeAttachment,
  type VolumeRef,
} from '@hybrid-broker/core';
import {
  attachedTo,
  checkAttachable,
  heldElsewhere,
  type ResolvedCallOptions,
  runAttach,
} from '@hybrid-broker/core/driver-kit';
import { holderNamedIn, sameId } from './attach-refusal.js';
import { guestPathsFor } from './guest-paths.js';
import { toVolume } from './openstack-mapping.js';
import { type OpenStackOps, settleVolume, waitOn } from './openstack-ops.js';

/**
 * Nova's attach through core's engine: read both sides, check the rules, POST the
 * attachment, confirm a refusal against a fresh read, then wait for Cinder's `in-use`.
 * `sent` is called once Nova took the POST (it reserves the device there).
 */
export function attachVolumeOn(
  ops: OpenStackOps,
  request: AttachVolumeRequest,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<VolumeAttachment> {
  if (request.readOnly) {
    throw new BrokerError('invalid-request', 'read-only attaches are not supported by Nova', {
      field: 'readOnly',
    });
  }
  return runAttach(
    {
      read: async () => {
        const [server, volume] = await Promise.all([
          ops.getServer(request, call),
          ops.getVolume(request, call),
        ]);
        return { server, volume, raw: undefined };
      },
      // With "cloud" the zones are not compared here: Nova's cross_az_attach decides.
      plan: ({ server, volume }) =>
        checkAttachable(server, ops.availabilityZonePolicy === 'cloud' ? withoutZone(volume) : volume),
      send: async ({ server, volume }) => {
        const created = await ops.nova.attachVolume(
          server.providerId,
          volume.providerId,
          request.device,
          call.signal,
        );
        const attachmentId = created.attachment_id ?? created.id;
        return {
          serverId: server.id,
          volumeId: volume.id,
          state: 'attaching',
          ...(attachmentId ? { id: attachmentId } : {}),
          ...(created.device ? { device: created.device } : {}),
        };
      },
      // Nova answers a lost race with 400 "already attached" or "status must be available".
      isRefusal: (error) =>
        isBrokerError(error, 'invalid-request', 'invalid-state', 'conflict') && error.field === undefined,
      reread: () => ops.getVolume(request, call),
      unexplained: (error, { server }, fresh) => {
        // Cinder may not list the winner's attachment yet (it is only reserved), while
        // Nova's refusal already names it: "... is already attached to instances: <id>".
        const holder = isBrokerError(error) ? holderNamedIn(error.message) : undefined;
        if (holder === undefined || sameId(holder, server.providerId)) return error;
        return heldElsewhere(fresh, holder, server.id);
      },
      waitAttached: (pending, justSent) => attachWait(ops, call, request, pending, justSent),
      settle: () => settleVolume(ops, call, request),
    },
    call,
    sent,
  );
}

async function attachWait(
  ops: OpenStackOps,
  call: ResolvedCallOptions,
  request: VolumeRef & ServerRef,
  pending: VolumeAttachment,
  justSent: boolean,
): Promise<VolumeAttachment> {
  const done = await waitOn(
    ops,
    call,
    'attach',
    ops.reads.watchVolume(request.volumeId),
    justSent,
    (watch) => ({
      description: `volume ${pending.volumeId} to be in-use on server ${pending.serverId}`,
      probe: async (signal) => toVolume(await watch.read(signal), ops.region),
      stateOf: (v) => v.providerStatus,
      check: attachedTo(pending.serverId),
    }),
  );
  const found = done.attachments.find((a) => a.serverId === pending.serverId);
  const volumeId = found?.volumeId ?? pending.volumeId;
  const id = found?.id ?? pending.id;
  const device = found?.device || pending.device;
  return {
    serverId: found?.serverId ?? pending.serverId,
    volumeId,
    // gone again only when a detach that raced this attach took it away (see attachedTo)
    state: found?.state ?? 'detached',
    ...(id !== undefined ? { id } : {}),
    ...(device ? { device } : {}),
    guestPaths: guestPathsFor(volumeId, device),
    ...(found?.providerState !== undefined ? { providerState: found.providerState } : {}),
    ...(found?.readOnly !== undefined ? { readOnly: found.readOnly } : {}),
  };
}

/** The volume as the zone rule sees it when the cloud decides: no zone to compare. */
function withoutZone(volume: Volume): Volume {
  const { availabilityZone: _zone, ...rest } = volume;
  return rest;
}
