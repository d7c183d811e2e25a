import type { Server, ServerStatus, Volume, VolumeAttachment, VolumeStatus } from '../types.js';
import { type MemoryPowerRecord, memoryPowerOf } from './memory-power-state.js';

/** A server as the memory cloud keeps it; states derive from timestamps, so no timers run. */
export interface MemoryServerRecord {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly flavor: string;
  readonly availabilityZone: string;
  metadata: Record<string, string>;
  readonly createdAt: number;
  readonly readyAt: number;
  /** The build ends in ERROR with this fault instead of ACTIVE. */
  readonly buildFault?: string;
  /** The host it was placed on (`host-1`...). */
  readonly host?: string;
  /** Its anti-affinity group, if it was created in one. */
  readonly antiAffinityGroup?: string;
  deletingSince?: number;
  goneAt?: number;
  /** Its last power change (start, stop, reboot); none: running once built. */
  power?: MemoryPowerRecord;
}

/** One attachment record of a memory volume. */
export interface MemoryAttachmentRecord {
  readonly id: string;
  readonly serverId: string;
  readonly device: string;
  readonly readOnly: boolean;
  readonly attachedAt: number;
  detachingSince?: number;
  detachedAt?: number;
}

/** A volume as the memory cloud keeps it. */
export interface MemoryVolumeRecord {
  readonly id: string;
  readonly name: string;
  readonly sizeGiB: number;
  readonly availabilityZone: string;
  readonly multiAttach: boolean;
  attachments: MemoryAttachmentRecord[];
  metadata?: Readonly<Record<string, string>>;
  /** A status forced by a test: stuck in a transition, or `error`. */
  forcedStatus?: VolumeStatus;
  /** Set by createVolume: `creating` until `readyAt`. */
  readonly createdAt?: number;
  readonly readyAt?: number;
  readonly volumeType?: string;
  /** Set by deleteVolume: `deleting` until `goneAt`, then gone. */
  deletingSince?: number;
  goneAt?: number;
}

/** A deleted volume past its `deleting`. */
export function volumeGone(record: MemoryVolumeRecord, now: number): boolean {
  return record.goneAt !== undefined && now >= record.goneAt;
}

/** The server's provider status (Nova-like) at time `now`. */
export function serverProviderStatus(record: MemoryServerRecord, now: number): string {
  if (record.deletingSince !== undefined) return 'DELETING';
  if (now < record.readyAt) return 'BUILD';
  if (record.buildFault !== undefined) return 'ERROR';
  const power = memoryPowerOf(record, now);
  return power === 'stopped' ? 'SHUTOFF' : power === 'rebooting' ? 'REBOOT' : 'ACTIVE';
}

const SERVER_STATUS: Record<string, ServerStatus> = {
  BUILD: 'building',
  ACTIVE: 'running',
  ERROR: 'error',
  DELETING: 'deleting',
  SHUTOFF: 'stopped',
  REBOOT: 'running',
};

/** The normalized server at time `now`. */
export function toServer(record: MemoryServerRecord, now: number): Server {
  const providerStatus = serverProviderStatus(record, now);
  const power = memoryPowerOf(record, now);
  return {
    id: record.id,
    providerId: record.id,
    name: record.name,
    status: SERVER_STATUS[providerStatus] ?? 'unknown',
    providerStatus,
    availabilityZone: record.availabilityZone,
    image: record.image,
    flavor: record.flavor,
    addresses: [
      {
        network: 'private',
        address: `10.0.0.${(Number.parseInt(record.id.slice(-2), 16) % 250) + 2}`,
        version: 4,
        type: 'fixed',
      },
    ],
    metadata: { ...record.metadata },
    ...(providerStatus === 'ERROR' && record.buildFault !== undefined ? { fault: record.buildFault } : {}),
    createdAt: new Date(record.createdAt).toISOString(),
    ...(record.host === undefined ? {} : { hostId: record.host }),
    powerState: providerStatus === 'ERROR' ? 'unknown' : power,
    providerPowerState: providerStatus === 'ERROR' ? 'error' : power,
  };
}

function attachmentState(a: MemoryAttachmentRecord, now: number): VolumeAttachment['state'] {
  if (a.detachedAt !== undefined && now >= a.detachedAt) return 'detached';
  if (a.detachingSince !== undefined) return 'detaching';
  return now < a.attachedAt ? 'attaching' : 'attached';
}

/** The normalized volume at time `now`; finished detaches are dropped. */
export function toVolume(record: MemoryVolumeRecord, now: number): Volume {
  record.attachments = record.attachments.filter((a) => attachmentState(a, now) !== 'detached');
  const attachments: VolumeAttachment[] = record.attachments.map((a) => {
    const state = attachmentState(a, now);
    return {
      id: a.id,
      serverId: a.serverId,
      volumeId: record.id,
      device: a.device,
      // As a KVM guest would see it (see the OpenStack driver's guest-paths.ts for the sources).
      guestPaths: [`/dev/disk/by-id/virtio-${record.id.slice(0, 20)}`, a.device],
      state,
      providerState: state,
      readOnly: a.readOnly,
    };
  });
  let status: VolumeStatus = 'available';
  if (record.forcedStatus !== undefined) status = record.forcedStatus;
  else if (record.deletingSince !== undefined) status = 'deleting';
  else if (record.readyAt !== undefined && now < record.readyAt) status = 'creating';
  else if (attachments.some((a) => a.state === 'attaching')) status = 'attaching';
  else if (attachments.some((a) => a.state === 'detaching')) status = 'detaching';
  else if (attachments.length > 0) status = 'in-use';
  return {
    id: record.id,
    providerId: record.id,
    name: record.name,
    status,
    providerStatus: status,
    sizeGiB: record.sizeGiB,
    availabilityZone: record.availabilityZone,
    multiAttach: record.multiAttach,
    attachments,
    metadata: { ...record.metadata },
    ...(record.createdAt === undefined ? {} : { createdAt: new Date(record.createdAt).toISOString() }),
    ...(record.volumeType === undefined ? {} : { volumeType: record.volumeType }),
  };
}
