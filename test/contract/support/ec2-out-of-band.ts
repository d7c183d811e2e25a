import { randomUUID } from 'node:crypto';
import { type Ec2Cloud, Ec2Query, handleEc2Query } from '../../../packages/cloud-sim/src/ec2/index.js';
import type { OutOfBandFixtures } from '../../../packages/testkit/src/index.js';

/** Sends one EC2 Query API action (fields as EC2 names them) to the cloud behind a target. */
export type Ec2Send = (action: string, fields: Record<string, string>) => Promise<unknown>;

/**
 * The watch cases' out-of-band changes as raw EC2 Query API actions, not through the driver.
 * The device is one the driver does not pick first, so the attach does not race its picks.
 */
export function ec2OutOfBand(send: Ec2Send): OutOfBandFixtures {
  return {
    attach: async (serverId, volumeId) => {
      await send('AttachVolume', { InstanceId: serverId, VolumeId: volumeId, Device: '/dev/sdz' });
    },
    detach: async (serverId, volumeId) => {
      await send('DetachVolume', { InstanceId: serverId, VolumeId: volumeId });
    },
    deleteVolume: async (volumeId) => {
      await send('DeleteVolume', { VolumeId: volumeId });
    },
    deleteServer: async (serverId) => {
      await send('TerminateInstances', { 'InstanceId.1': serverId });
    },
    stopServer: async (serverId) => {
      await send('StopInstances', { 'InstanceId.1': serverId });
    },
    failServer:
      'EC2 has no error state for an instance (pending, running, stopping, stopped, shutting-down, terminated)',
  };
}

/** {@link Ec2Send} into cloud-sim's EC2 model in this process, as its HTTP front end dispatches. */
export function ec2SimSend(cloud: Ec2Cloud): Ec2Send {
  return async (action, fields) => {
    const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...fields }).toString();
    return handleEc2Query(cloud, Ec2Query.from(body), randomUUID());
  };
}
