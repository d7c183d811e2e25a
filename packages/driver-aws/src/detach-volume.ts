import {
  DetachVolumeCommand,
  type VolumeAttachment as Ec2Attachment,
  type Volume as Ec2Volume,
} from '@aws-sdk/client-ec2';
import type { DetachVolumeRequest, DetachVolumeResult } from '@hybrid-broker/core';
import { planDetach, type ResolvedCallOptions, runDetach } from '@hybrid-broker/core/driver-kit';
import { ec2Call } from './ec2-calls.js';
import { toVolume } from './ec2-mappers.js';
import { type Ec2Ops, settleVolume, stateOfVolume, waitOn } from './ec2-ops.js';
import { detachCheck } from './ec2-wait-checks.js';

/**
 * EC2's DetachVolume through core's engine: read, settle a transition under way, send
 * (with `Force` when asked), then wait for `detached`. `sent` is called once EC2 took it.
 */
export function detachVolumeOn(
  ops: Ec2Ops,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
  force: boolean,
  sent: () => void,
): Promise<DetachVolumeResult> {
  const { serverId, volumeId } = request;
  const attachmentOf = (v: Ec2Volume) =>
    v.Attachments?.find((a) => a.InstanceId === serverId && a.State !== 'detached');
  let answer: Ec2Attachment | undefined;
  return runDetach<Ec2Volume>(
    {
      read: () => ops.reads.readVolume(volumeId, call.signal),
      view: (v) => toVolume(v, ops.region),
      plan: (v) => planDetach(serverId, toVolume(v, ops.region)),
      settle: async () => {
        await settleVolume(ops, call, volumeId);
        return ops.reads.volume(volumeId, call.signal);
      },
      held: (v) => attachmentOf(v) !== undefined,
      // Nothing to do, but a missing server is still an error the caller should see.
      confirmNothingToDo: async () => {
        await ops.reads.instance(serverId, call.signal);
      },
      send: async (current) => {
        // A detach already under way (`detaching`, or `busy` while the guest holds the device) is only
        // waited for, unless forced: EC2's `Force` is for exactly that stuck detach (the guest then
        // gets no chance to flush, as the DetachVolume reference warns).
        if (attachmentOf(current)?.State !== 'attached' && !force) return undefined;
        const input = { VolumeId: volumeId, InstanceId: serverId, ...(force ? { Force: true } : {}) };
        answer = await ec2Call(`DetachVolume ${volumeId} from ${serverId}`, call.signal, (o) =>
          ops.client.send(new DetachVolumeCommand(input), o),
        );
        return undefined;
      },
      // EC2's own answer (`detaching`), not the volume as read before the detach.
      unwaited: async (current) =>
        toVolume(withAttachmentState(current, serverId, answer?.State), ops.region),
      waitDetached: async () => {
        const done = await waitOn(ops, call, ops.reads.volumeWait(volumeId, 'detach'), {
          description: `volume ${volumeId} to be detached from server ${serverId}`,
          check: detachCheck(serverId),
          stateOf: (v) =>
            stateOfVolume(v.State, v.Attachments?.find((a) => a.InstanceId === serverId)?.State),
        });
        return toVolume(done, ops.region);
      },
    },
    call,
    sent,
  );
}

/** `volume` with its attachment to `serverId` in the state EC2 just answered (when it answered one). */
function withAttachmentState(volume: Ec2Volume, serverId: string, state: string | undefined): Ec2Volume {
  if (state === undefined) return volume;
  return {
    ...volume,
    Attachments: volume.Attachments?.map((a) =>
      a.InstanceId === serverId ? { ...a, State: state as Ec2Attachment['State'] } : a,
    ),
  };
}
