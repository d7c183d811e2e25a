import type { VolumeAttachment as Ec2Attachment, Volume as Ec2Volume, Instance } from '@aws-sdk/client-ec2';
import type {
  AttachmentState,
  Server,
  ServerAddress,
  ServerStatus,
  Volume,
  VolumeAttachment,
  VolumeStatus,
} from '@hybrid-broker/core';
import { guestPathsFor } from './guest-paths.js';
import { EC2_POWER_STATE } from './power-state.js';

const SERVER_STATUS: Readonly<Record<string, ServerStatus>> = {
  pending: 'building',
  running: 'running',
  stopping: 'stopped',
  stopped: 'stopped',
  'shutting-down': 'deleting',
  terminated: 'deleted',
};

const ATTACHMENT_STATE: Readonly<Record<string, AttachmentState>> = {
  attaching: 'attaching',
  attached: 'attached',
  detaching: 'detaching',
  // `busy`: a detach was asked but the guest still uses the device; it is on its way out.
  busy: 'detaching',
  detached: 'detached',
};

const VOLUME_STATUS: Readonly<Record<string, VolumeStatus>> = {
  creating: 'creating',
  available: 'available',
  'in-use': 'in-use',
  deleting: 'deleting',
  deleted: 'deleting',
  error: 'error',
};

/** A normalized server from an EC2 instance; tags become metadata, the `Name` tag the name. */
export function toServer(instance: Instance, region: string): Server {
  const id = instance.InstanceId ?? '';
  const state = instance.State?.Name ?? 'unknown';
  const tags = Object.fromEntries(
    (instance.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])),
  );
  const { Name: name, ...metadata } = tags;
  const failed = state === 'terminated' || state === 'shutting-down';
  const fault = failed ? instance.StateReason?.Message : undefined;
  const zone = instance.Placement?.AvailabilityZone;
  return {
    id,
    providerId: id,
    name: name ?? id,
    status: SERVER_STATUS[state] ?? 'unknown',
    providerStatus: state,
    region,
    addresses: addressesOf(instance),
    metadata,
    ...(zone === undefined ? {} : { availabilityZone: zone }),
    ...(instance.ImageId === undefined ? {} : { image: instance.ImageId }),
    ...(instance.InstanceType === undefined ? {} : { flavor: instance.InstanceType }),
    ...(fault === undefined ? {} : { fault }),
    ...(instance.LaunchTime === undefined ? {} : { createdAt: new Date(instance.LaunchTime).toISOString() }),
    // EC2 names the host only on Dedicated Hosts; a spread group's rack is never shown.
    ...(instance.Placement?.HostId ? { hostId: instance.Placement.HostId } : {}),
    powerState: EC2_POWER_STATE[state] ?? 'unknown',
    providerPowerState: state,
  };
}

/**
 * Every address of every interface, each labelled with its own interface's subnet: primary
 * and secondary private IPs, their public (Elastic) IPs, and IPv6. An instance described
 * without interfaces (EC2-Classic, some emulators) falls back to its top-level addresses.
 */
function addressesOf(instance: Instance): ServerAddress[] {
  const nics = instance.NetworkInterfaces ?? [];
  if (nics.length === 0) {
    const network = instance.SubnetId ?? instance.VpcId ?? 'ec2';
    const out: ServerAddress[] = [];
    if (instance.PrivateIpAddress) {
      out.push({ network, address: instance.PrivateIpAddress, version: 4, type: 'private' });
    }
    if (instance.PublicIpAddress) {
      out.push({ network, address: instance.PublicIpAddress, version: 4, type: 'public' });
    }
    return out;
  }
  const out: ServerAddress[] = [];
  const seen = new Set<string>();
  const add = (address: ServerAddress): void => {
    if (seen.has(address.address)) return;
    seen.add(address.address);
    out.push(address);
  };
  for (const nic of nics) {
    const network = nic.SubnetId ?? instance.SubnetId ?? instance.VpcId ?? 'ec2';
    const privates = nic.PrivateIpAddresses?.length
      ? nic.PrivateIpAddresses
      : [{ PrivateIpAddress: nic.PrivateIpAddress, Association: nic.Association }];
    for (const ip of privates) {
      if (ip.PrivateIpAddress) add({ network, address: ip.PrivateIpAddress, version: 4, type: 'private' });
      if (ip.Association?.PublicIp)
        add({ network, address: ip.Association.PublicIp, version: 4, type: 'public' });
    }
    for (const v6 of nic.Ipv6Addresses ?? []) {
      if (v6.Ipv6Address) add({ network, address: v6.Ipv6Address, version: 6, type: 'public' });
    }
  }
  // The top-level public IP is the primary interface's association; keep it if EC2 gave it only there.
  if (instance.PublicIpAddress && !seen.has(instance.PublicIpAddress)) {
    const network = nics[0]?.SubnetId ?? instance.SubnetId ?? 'ec2';
    add({ network, address: instance.PublicIpAddress, version: 4, type: 'public' });
  }
  return out;
}

/**
 * A normalized volume from an EBS volume. EC2 shows a volume `in-use` from
 * the moment an attach starts, so the attachment's state decides whether the
 * normalized status is `attaching`, `in-use` or `detaching`.
 */
export function toVolume(volume: Ec2Volume, region: string): Volume {
  const id = volume.VolumeId ?? '';
  const state = volume.State ?? 'unknown';
  const attachments = (volume.Attachments ?? []).map((a) => toAttachment(a, id));
  const zone = volume.AvailabilityZone;
  const tags = Object.fromEntries(
    (volume.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])),
  );
  const { Name: name, ...metadata } = tags;
  return {
    id,
    providerId: id,
    status: volumeStatus(state, attachments),
    providerStatus: state,
    sizeGiB: volume.Size ?? 0,
    region,
    multiAttach: volume.MultiAttachEnabled ?? false,
    attachments,
    metadata,
    ...(name === undefined ? {} : { name }),
    ...(zone === undefined ? {} : { availabilityZone: zone }),
  };
}

function volumeStatus(state: string, attachments: readonly VolumeAttachment[]): VolumeStatus {
  const base = VOLUME_STATUS[state] ?? 'unknown';
  if (base !== 'in-use') return base;
  if (attachments.some((a) => a.state === 'attaching')) return 'attaching';
  if (attachments.length > 0 && attachments.every((a) => a.state === 'detaching' || a.state === 'detached')) {
    return 'detaching';
  }
  return 'in-use';
}

/** A normalized attachment; EC2 has no attachment id, so the pair of ids names it. */
export function toAttachment(attachment: Ec2Attachment, volumeId: string): VolumeAttachment {
  const state = attachment.State ?? 'unknown';
  return {
    serverId: attachment.InstanceId ?? '',
    volumeId: attachment.VolumeId ?? volumeId,
    guestPaths: guestPathsFor(attachment.VolumeId ?? volumeId, attachment.Device),
    state: ATTACHMENT_STATE[state] ?? 'attaching',
    providerState: state,
    ...(attachment.Device === undefined ? {} : { device: attachment.Device }),
  };
}
