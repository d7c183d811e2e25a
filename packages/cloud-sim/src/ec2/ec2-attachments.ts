import type { Ec2Cloud } from './ec2-cloud.js';
import { type AttachmentRecord, Ec2ApiError } from './ec2-model.js';
import { attachmentView } from './ec2-views.js';

/** Device names a volume may be attached as on Linux instances (EC2 accepts /dev/sd[b-z] and xvd[b-z]). */
const DEVICE = /^\/dev\/(sd|xvd)[b-z]$/;

/**
 * AttachVolume, with EC2's checks in EC2's order: both exist, same zone
 * (`InvalidVolume.ZoneMismatch`), the instance can take it, the volume is
 * `available` (`VolumeInUse`), the device is free. The attachment starts `attaching`.
 */
export function attachVolume(cloud: Ec2Cloud, volumeId: string, instanceId: string, device: string) {
  const volume = cloud.volume(volumeId);
  const instance = cloud.instance(instanceId);
  if (!DEVICE.test(device)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`,
    );
  }
  if (volume.record.availabilityZone !== instance.record.availabilityZone) {
    throw new Ec2ApiError(
      'InvalidVolume.ZoneMismatch',
      `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`,
    );
  }
  if (instance.state !== 'running' && instance.state !== 'stopped') {
    throw new Ec2ApiError(
      'IncorrectInstanceState',
      `The instance '${instanceId}' is not in the 'running' or 'stopped' states.`,
    );
  }
  if (volume.state === 'in-use') {
    throw new Ec2ApiError('VolumeInUse', `${volumeId} is already attached to an instance`);
  }
  if (volume.state !== 'available') {
    throw new Ec2ApiError('IncorrectState', `The volume '${volumeId}' is not 'available'.`);
  }
  if (devicesInUse(cloud, instanceId).includes(device)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
    );
  }
  const now = cloud.now();
  const record: AttachmentRecord = {
    instanceId,
    device,
    startedAt: now,
    attachedAt: now + cloud.durationOf('attachMs'),
    detachStartedAt: undefined,
    detachedAt: undefined,
  };
  volume.record.attachments.push(record);
  cloud.changes.record(volumeId, 'in-use', record.attachedAt, now);
  return attachmentView(record, now);
}

/**
 * DetachVolume: the volume must be attached (`IncorrectState` otherwise, as
 * EC2 says of an `available` volume); the attachment turns `detaching`.
 * `Force=true` ("forces detachment if the previous detachment attempt did not
 * occur cleanly", in the API reference) is also taken while it is `detaching`,
 * and ends a stuck transition: the attachment goes after the usual delay.
 */
export function detachVolume(
  cloud: Ec2Cloud,
  volumeId: string,
  instanceId: string | undefined,
  force = false,
) {
  const volume = cloud.volume(volumeId);
  if (instanceId !== undefined) cloud.instance(instanceId);
  const attachment = volume.attachments.find(
    (a) => instanceId === undefined || a.record.instanceId === instanceId,
  );
  if (attachment === undefined) {
    throw new Ec2ApiError('IncorrectState', `Volume '${volumeId}' is in the '${volume.state}' state.`);
  }
  if (attachment.state === 'detaching' && !force) {
    throw new Ec2ApiError('IncorrectState', `Volume '${volumeId}' is in the 'detaching' state.`);
  }
  const now = cloud.now();
  if (force && volume.record.forced === 'stuck') {
    volume.record.forced = undefined;
    volume.record.frozenAt = undefined;
  }
  attachment.record.detachStartedAt ??= now;
  const due = now + cloud.durationOf('detachMs');
  attachment.record.detachedAt = force ? Math.min(attachment.record.detachedAt ?? due, due) : due;
  cloud.changes.record(
    volumeId,
    'available',
    attachment.record.detachedAt,
    attachment.record.detachStartedAt,
  );
  return attachmentView(attachment.record, now);
}

/** Device names in use on an instance: its root device and every attachment not yet detached. */
export function devicesInUse(cloud: Ec2Cloud, instanceId: string): string[] {
  const devices = ['/dev/xvda'];
  for (const volume of cloud.volumes.values()) {
    for (const a of cloud.volume(volume.id).attachments) {
      if (a.record.instanceId === instanceId) devices.push(a.record.device);
    }
  }
  return devices;
}
