import type { Instance } from '@aws-sdk/client-ec2';
import { BrokerError, type Server, type Volume } from '@hybrid-broker/core';

/** Refuses an attach EC2 would refuse, before asking it, with the reason in words. */
export function checkAttachable(server: Server, volume: Volume): void {
  if (server.availabilityZone !== volume.availabilityZone) {
    throw new BrokerError(
      'invalid-request',
      `volume ${volume.id} is in availability zone ${volume.availabilityZone} but server ${server.id} is in ${server.availabilityZone}; EBS attaches must stay within one zone`,
      { field: 'volumeId', providerCode: 'InvalidVolume.ZoneMismatch' },
    );
  }
  if (server.providerStatus !== 'running' && server.providerStatus !== 'stopped') {
    throw new BrokerError(
      'invalid-state',
      `server ${server.id} is ${server.providerStatus}; it must be running or stopped`,
      {
        lastState: server,
        providerCode: 'IncorrectInstanceState',
      },
    );
  }
  if (volume.attachments.some((a) => a.serverId === server.id && a.state !== 'detached')) {
    throw new BrokerError('conflict', `volume ${volume.id} is already attached to server ${server.id}`, {
      providerCode: 'VolumeInUse',
      lastState: volume,
    });
  }
  if (volume.providerStatus !== 'available') {
    throw new BrokerError(
      'invalid-state',
      `volume ${volume.id} is ${volume.providerStatus}; it must be available`,
      {
        lastState: volume,
        providerCode: 'IncorrectState',
      },
    );
  }
}

/** Device names the instance uses: its root device and every block-device mapping, attaching ones included. */
export function devicesOf(instance: Instance): string[] {
  return [
    ...(instance.RootDeviceName ? [instance.RootDeviceName] : []),
    ...(instance.BlockDeviceMappings ?? []).flatMap((m) => (m.DeviceName ? [m.DeviceName] : [])),
  ];
}
