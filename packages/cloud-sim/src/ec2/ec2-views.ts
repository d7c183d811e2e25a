import type { AttachmentRecord, InstanceRecord, InstanceStateName, VolumeRecord } from './ec2-model.js';

/** An instance as EC2 shows it at one moment. */
export interface InstanceView {
  readonly record: InstanceRecord;
  readonly state: InstanceStateName;
  /** `stateReason` of a failed launch or a termination. */
  readonly reason: { readonly code: string; readonly message: string } | undefined;
}

/** An attachment as EC2 shows it at one moment. */
export interface AttachmentView {
  readonly record: AttachmentRecord;
  readonly state: 'attaching' | 'attached' | 'detaching' | 'detached';
}

/** A volume as EC2 shows it at one moment. */
export interface VolumeView {
  readonly record: VolumeRecord;
  readonly state: 'creating' | 'available' | 'in-use' | 'error';
  /** Attachments not yet fully detached. */
  readonly attachments: readonly AttachmentView[];
}

/**
 * The volumes as the cloud shows them now, what an instance's XML reads to list its block
 * devices. Ec2Cloud is one; the XML module names only this, so that it needs no import of the
 * cloud, which imports it (through its placement groups).
 */
export interface VolumeViews {
  readonly volumes: ReadonlyMap<string, VolumeRecord>;
  volume(id: string): VolumeView;
}

/** The state of an instance at `now`: transitions happen when their time has come, not on a timer. */
export function instanceView(record: InstanceRecord, now: number, terminateMs: number): InstanceView {
  const endAt = record.terminateAt ?? (record.launchFailure === undefined ? undefined : record.runningAt);
  if (endAt !== undefined && now >= endAt) {
    const state = now >= endAt + terminateMs ? 'terminated' : 'shutting-down';
    const reason =
      record.launchFailure === undefined
        ? {
            code: 'Client.UserInitiatedShutdown',
            message: 'Client.UserInitiatedShutdown: User initiated shutdown',
          }
        : { code: 'Server.InternalError', message: record.launchFailure };
    return { record, state, reason };
  }
  const power = record.powerChange;
  if (power !== undefined) {
    const settled = now >= power.doneAt;
    const state =
      power.to === 'stopped' ? (settled ? 'stopped' : 'stopping') : settled ? 'running' : 'pending';
    return { record, state, reason: undefined };
  }
  return { record, state: now >= record.runningAt ? 'running' : 'pending', reason: undefined };
}

/** The state of an attachment at `now`. */
export function attachmentView(record: AttachmentRecord, now: number): AttachmentView {
  if (record.detachStartedAt !== undefined && record.detachedAt !== undefined) {
    return { record, state: now >= record.detachedAt ? 'detached' : 'detaching' };
  }
  return { record, state: now >= record.attachedAt ? 'attached' : 'attaching' };
}

/** The state of a volume at `now`; a `stuck` volume is seen as it was when it froze. */
export function volumeView(record: VolumeRecord, now: number): VolumeView {
  const at = record.forced === 'stuck' ? (record.frozenAt ?? now) : now;
  const attachments = record.attachments
    .map((a) => attachmentView(a, at))
    .filter((a) => a.state !== 'detached');
  if (record.forced === 'error') return { record, state: 'error', attachments };
  if (at < record.availableAt) return { record, state: 'creating', attachments };
  return { record, state: attachments.length > 0 ? 'in-use' : 'available', attachments };
}
