import type { Instance } from '@aws-sdk/client-ec2';
import {
  type AttachVolumeRequest,
  BrokerError,
  isBrokerError,
  type VolumeAttachment,
} from '@hybrid-broker/core';
import { type ResolvedCallOptions, runAttach } from '@hybrid-broker/core/driver-kit';
import { devicesOf, planAttach } from './attach-preconditions.js';
import { sendAttach } from './attach-send.js';
import { deviceInUse } from './device-names.js';
import { toAttachment, toServer, toVolume } from './ec2-mappers.js';
import { type Ec2Ops, settleVolume, stateOfVolume, waitOn } from './ec2-ops.js';
import { attachCheck } from './ec2-wait-checks.js';

/**
 * EC2's AttachVolume through core's engine: read both sides, check the rules, send
 * (re-picking the device on "already in use"), confirm a refusal against a fresh read,
 * then wait for `in-use`. `sent` is called once EC2 took the request.
 */
export function attachVolumeOn(
  ops: Ec2Ops,
  request: AttachVolumeRequest,
  call: ResolvedCallOptions,
  sent: () => void,
): Promise<VolumeAttachment> {
  const { serverId, volumeId } = request;
  return runAttach<Instance>(
    {
      read: async () => {
        const [instance, volume] = await Promise.all([
          ops.liveInstance(serverId, call.signal),
          ops.reads.readVolume(volumeId, call.signal),
        ]);
        return {
          server: toServer(instance, ops.region),
          volume: toVolume(volume, ops.region),
          raw: instance,
        };
      },
      plan: ({ server, volume }) => planAttach(server, volume),
      send: async ({ raw }) => {
        const used = devicesOf(raw);
        if (request.device !== undefined && deviceInUse(request.device, used)) {
          throw new BrokerError(
            'conflict',
            `device ${request.device} is already in use on server ${serverId}`,
            {
              field: 'device',
            },
          );
        }
        const target = { serverId, volumeId, requested: request.device, used };
        const { out, device } = await sendAttach(ops.client, target, call.signal);
        return toAttachment({ ...out, Device: out.Device ?? device }, volumeId);
      },
      // VolumeInUse (or IncorrectState) after our read: another broker won the race.
      isRefusal: (error) => isBrokerError(error, 'conflict', 'invalid-state') && error.field === undefined,
      reread: async () => toVolume(await ops.reads.volume(volumeId, call.signal), ops.region),
      waitAttached: (pending) => attachWait(ops, call, serverId, pending),
      settle: () => settleVolume(ops, call, volumeId),
    },
    call,
    sent,
  );
}

async function attachWait(
  ops: Ec2Ops,
  call: ResolvedCallOptions,
  serverId: string,
  pending: VolumeAttachment,
): Promise<VolumeAttachment> {
  const volumeId = pending.volumeId;
  const done = await waitOn(ops, call, ops.reads.volumeWait(volumeId, 'attach'), {
    description: `volume ${volumeId} to be in-use on server ${serverId}`,
    check: attachCheck(serverId),
    stateOf: (v) => stateOfVolume(v.State, v.Attachments?.find((a) => a.InstanceId === serverId)?.State),
  });
  const attachment = done.Attachments?.find((a) => a.InstanceId === serverId);
  return attachment ? toAttachment(attachment, volumeId) : pending;
}
