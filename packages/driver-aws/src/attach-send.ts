import { AttachVolumeCommand, type AttachVolumeCommandOutput, type EC2Client } from '@aws-sdk/client-ec2';
import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { devicesOf } from './attach-preconditions.js';
import { pickDeviceName } from './device-names.js';
import { describeInstance, ec2Call } from './ec2-calls.js';

/** Device names tried before a crowded instance is reported as `conflict`. */
export const MAX_DEVICE_TRIES = 4;

/**
 * EC2's answer when another attach took the device name first:
 * `InvalidParameterValue` "Attachment point /dev/sdf is already in use"
 * (EC2 has no dedicated code for it).
 */
export function isDeviceTaken(error: unknown): boolean {
  return (
    isBrokerError(error) &&
    error.providerCode === 'InvalidParameterValue' &&
    /attachment point \S+ is already in use/i.test(error.message)
  );
}

/** What was sent: EC2's answer and the device asked for. */
export interface SentAttach {
  readonly out: AttachVolumeCommandOutput;
  readonly device: string;
}

/**
 * AttachVolume with device allocation that survives a race: two brokers
 * reading one instance pick the same free name, EC2 refuses the second, and
 * that one re-reads the instance's mappings and takes the next free name
 * (as aws-ebs-csi-driver does), up to {@link MAX_DEVICE_TRIES} names. A
 * device the caller chose is never swapped: it fails `conflict` at once.
 */
export async function sendAttach(
  client: EC2Client,
  target: { serverId: string; volumeId: string; requested: string | undefined; used: readonly string[] },
  signal: AbortSignal | undefined,
): Promise<SentAttach> {
  const { serverId, volumeId, requested } = target;
  const tried: string[] = [];
  let used = target.used;
  for (let attempt = 1; ; attempt++) {
    const device = requested ?? pickDeviceName(serverId, [...used, ...tried]);
    try {
      const out = await ec2Call(`AttachVolume ${volumeId} to ${serverId}`, signal, (o) =>
        client.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: serverId, Device: device }), o),
      );
      return { out, device };
    } catch (error) {
      if (!isDeviceTaken(error)) throw error;
      if (requested !== undefined || attempt >= MAX_DEVICE_TRIES) {
        const broker = error as BrokerError;
        throw new BrokerError(
          'conflict',
          `device ${device} is already in use on server ${serverId}${requested === undefined ? ` after ${attempt} tries` : ''}: ${broker.message}`,
          { ...broker.details(), cause: error, field: 'device', retryable: requested === undefined },
        );
      }
      tried.push(device);
      used = devicesOf(await describeInstance(client, serverId, signal));
    }
  }
}
