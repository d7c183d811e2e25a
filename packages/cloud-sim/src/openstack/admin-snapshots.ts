import type { ServerRecord, VolumeRecord } from './state.js';

/** A volume as the admin helpers report it. */
export interface SimVolume {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly projectId: string;
  readonly availabilityZone: string;
  readonly sizeGiB: number;
  readonly status: string;
  readonly multiattach: boolean;
  readonly attachments: readonly { serverId: string; attachmentId: string; device: string }[];
}

/** A server as the admin helpers report it. */
export interface SimServer {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly projectId: string;
  readonly availabilityZone: string;
  readonly status: string;
  /** Ids of the volumes mapped to it (attaching ones included). */
  readonly volumeIds: readonly string[];
}

/** The admin view of a volume record. */
export function volumeSnapshot(v: VolumeRecord): SimVolume {
  return {
    id: v.id,
    name: v.name,
    region: v.region,
    projectId: v.projectId,
    availabilityZone: v.availabilityZone,
    sizeGiB: v.size,
    status: v.status,
    multiattach: v.multiattach,
    attachments: v.attachments.map((a) => ({ serverId: a.serverId, attachmentId: a.id, device: a.device })),
  };
}

/** The admin view of a server record. */
export function serverSnapshot(s: ServerRecord): SimServer {
  return {
    id: s.id,
    name: s.name,
    region: s.region,
    projectId: s.projectId,
    availabilityZone: s.availabilityZone,
    status: s.status,
    volumeIds: s.volumes.map((v) => v.volumeId),
  };
}
