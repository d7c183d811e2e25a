import { DeletedServers } from './changes-filters.js';

/** A Nova block-device mapping of a volume on a server. */
export interface ServerVolume {
  readonly volumeId: string;
  readonly device: string;
  /** The Cinder attachment id (Nova's `attachment_id` from 2.89). */
  readonly attachmentId: string;
  /** Nova's own BDM uuid (`bdm_uuid` from 2.89). */
  readonly bdmId: string;
  readonly tag: string | null;
  /** Nova took a DELETE of it: the compute host drops the mapping once it let go of the disk. */
  detachRequested?: boolean;
}

/** One address of a server on a network. */
export interface ServerAddress {
  readonly addr: string;
  readonly version: 4 | 6;
  readonly type: 'fixed' | 'floating';
  readonly mac: string;
}

/** A Nova server as the simulator keeps it. */
export interface ServerRecord {
  readonly id: string;
  name: string;
  readonly region: string;
  readonly projectId: string;
  readonly userId: string;
  readonly availabilityZone: string;
  status: string;
  vmState: string;
  taskState: string | null;
  powerState: number;
  readonly imageId: string;
  readonly flavorId: string;
  readonly networks: readonly string[];
  addresses: Record<string, ServerAddress[]>;
  metadata: Record<string, string>;
  readonly keyName: string | null;
  readonly userData: string | null;
  readonly securityGroups: readonly string[];
  readonly created: number;
  updated: number;
  launchedAt: number | null;
  readonly hostId: string;
  /** The compute host it was scheduled to; null when the scheduler found none (NoValidHost). */
  readonly host: string | null;
  /** The server group it was created in (`os:scheduler_hints.group`). */
  readonly serverGroupId: string | undefined;
  fault: { code: number; message: string; created: number } | undefined;
  volumes: ServerVolume[];
  /** Bumped by every state change, so a stale scheduled transition can tell it lost. */
  op: number;
}

/** One Cinder attachment of a volume. */
export interface VolumeAttachmentRecord {
  readonly id: string;
  readonly serverId: string;
  readonly volumeId: string;
  readonly device: string;
  readonly hostName: string;
  readonly attachedAt: number;
}

/** A Cinder volume as the simulator keeps it. */
export interface VolumeRecord {
  readonly id: string;
  name: string;
  description: string | null;
  readonly region: string;
  readonly projectId: string;
  readonly userId: string;
  readonly availabilityZone: string;
  size: number;
  status: string;
  readonly multiattach: boolean;
  readonly volumeType: string;
  readonly bootable: boolean;
  metadata: Record<string, string>;
  readonly created: number;
  updated: number;
  attachments: VolumeAttachmentRecord[];
  /** See `ServerRecord.op`. */
  op: number;
}

/** A Nova server group (`/os-server-groups`); its members are the live servers created in it. */
export interface ServerGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly projectId: string;
  readonly userId: string;
  readonly policy: string;
}

/** The servers and volumes of every region, keyed by id. */
export class OpenStackState {
  readonly servers = new Map<string, ServerRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  /** Server groups in creation order, as Nova lists them. */
  readonly serverGroups = new Map<string, ServerGroupRecord>();
  /** Deleted servers Nova still lists to `changes-since`. */
  readonly deletedServers = new DeletedServers<ServerRecord>();
  #nextIp = 10;

  /** The server if it lives in `region` and `projectId`. */
  server(region: string, projectId: string, id: string): ServerRecord | undefined {
    const s = this.servers.get(id);
    return s && s.region === region && s.projectId === projectId ? s : undefined;
  }

  /** The volume if it lives in `region` and `projectId`. */
  volume(region: string, projectId: string, id: string): VolumeRecord | undefined {
    const v = this.volumes.get(id);
    return v && v.region === region && v.projectId === projectId ? v : undefined;
  }

  /** Servers of one region and project, oldest first. */
  serversOf(region: string, projectId: string): ServerRecord[] {
    return [...this.servers.values()].filter((s) => s.region === region && s.projectId === projectId);
  }

  /** Volumes of one region and project, oldest first. */
  volumesOf(region: string, projectId: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.region === region && v.projectId === projectId);
  }

  /** The next fixed IPv4 address (10.0.x.y). */
  nextFixedIp(): string {
    const n = this.#nextIp++;
    return `10.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  /** Forgets every server and volume. */
  clear(): void {
    this.servers.clear();
    this.volumes.clear();
    this.serverGroups.clear();
    this.deletedServers.clear();
    this.#nextIp = 10;
  }
}
