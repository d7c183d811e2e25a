import type { Instance } from '@aws-sdk/client-ec2';
import { BrokerError, type Server, type Volume } from '@hybrid-broker/core';
import { type AttachPlan, checkAttachable } from '@hybrid-broker/core/driver-kit';

/**
 * Decides an attach by core's rules (already attached here, attaching here,
 * held elsewhere, ...), with EC2's own wording for a zone mismatch first.
 */
export function planAttach(server: Server, volume: Volume): AttachPlan {
  if (server.availabilityZone !== volume.availabilityZone) {
    throw new BrokerError(
      'invalid-request',
      `volume ${volume.id} is in availability zone ${volume.availabilityZone} but server ${server.id} is in ${server.availabilityZone}; EBS attaches must stay within one zone`,
      { field: 'volumeId', providerCode: 'InvalidVolume.ZoneMismatch' },
    );
  }
  return checkAttachable(server, volume);
}

/** Device names the instance uses: its root device and every block-device mapping, attaching ones included. */
export function devicesOf(instance: Instance): string[] {
  return [
    ...(instance.RootDeviceName ? [instance.RootDeviceName] : []),
    ...(instance.BlockDeviceMappings ?? []).flatMap((m) => (m.DeviceName ? [m.DeviceName] : [])),
  ];
}
