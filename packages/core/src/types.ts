/**
 * Normalized domain types. Every result keeps the provider's own id and state
 * beside the normalized ones, so nothing the cloud said is lost.
 */
import type { ServerPowerState } from './power-types.js';

/** The lifecycle of a server, the same on every cloud. */
export type ServerStatus = 'building' | 'running' | 'stopped' | 'deleting' | 'deleted' | 'error' | 'unknown';

/** The lifecycle of a volume, the same on every cloud. */
export type VolumeStatus = (typeof VOLUME_STATUSES)[number];

/** Every normalized volume status, for request schemas, CLI flags and exhaustive tests. */
export const VOLUME_STATUSES = [
  'creating',
  'available',
  'attaching',
  'in-use',
  'detaching',
  'deleting',
  'error',
  'unknown',
] as const;

/** Where an attachment is in its life. */
export type AttachmentState = 'attaching' | 'attached' | 'detaching' | 'detached';

/** One IP address of a server. */
export interface ServerAddress {
  /** Network name or id as the provider reports it. */
  readonly network: string;
  readonly address: string;
  readonly version: 4 | 6;
  readonly type?: 'fixed' | 'floating' | 'private' | 'public';
}

/** A server (instance, VM). */
export interface Server {
  /** The id to pass back to this broker (for cascading clouds it carries the region). */
  readonly id: string;
  /** The cloud's own id. */
  readonly providerId: string;
  readonly name: string;
  readonly status: ServerStatus;
  /** The cloud's own state string, e.g. `ACTIVE`, `running`, `PowerState/running`. */
  readonly providerStatus: string;
  readonly availabilityZone?: string;
  readonly region?: string;
  readonly image?: string;
  readonly flavor?: string;
  readonly addresses: readonly ServerAddress[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Why the server is in `error`, when the cloud says. */
  readonly fault?: string;
  readonly createdAt?: string;
  /**
   * An opaque id of the host (or fault domain) the server runs on, where the
   * cloud shows one: Nova's `hostId`, EC2's `Placement.HostId` (dedicated
   * hosts only), Azure's platform fault domain. Equal ids mean the same host.
   */
  readonly hostId?: string;
  /** Its power (see `ServerPowerState`); every built-in driver sets it, a third-party one may not. */
  readonly powerState?: ServerPowerState;
  /** The cloud's own power state, e.g. Nova `powering-off`, EC2 `stopping`, `PowerState/deallocated`. */
  readonly providerPowerState?: string;
}

/** A volume's attachment to a server. */
export interface VolumeAttachment {
  /** The provider's attachment id, where it has one. */
  readonly id?: string;
  readonly serverId: string;
  readonly volumeId: string;
  /** The device the volume appears as (e.g. `/dev/vdb`, `/dev/sdf`, `lun:0`), when known. */
  readonly device?: string;
  readonly state: AttachmentState;
  /** The provider's own attachment state, when it has one. */
  readonly providerState?: string;
  readonly readOnly?: boolean;
  /**
   * True when this call sent nothing: the volume was already attached (or
   * attaching) to that server, so the attach was only confirmed or waited for.
   */
  readonly alreadyAttached?: true;
  /**
   * Stable paths under which the disk is expected inside the guest, most
   * specific first (e.g. `/dev/disk/by-id/virtio-<id prefix>`); see the README.
   */
  readonly guestPaths?: readonly string[];
}

/** A block-storage volume (Cinder volume, EBS volume, Azure managed disk). */
export interface Volume {
  /** The id to pass back to this broker (for cascading clouds it carries the region). */
  readonly id: string;
  /** The cloud's own id. */
  readonly providerId: string;
  readonly name?: string;
  readonly status: VolumeStatus;
  /** The cloud's own state string, e.g. `in-use`, `Attached`. */
  readonly providerStatus: string;
  readonly sizeGiB: number;
  readonly availabilityZone?: string;
  readonly region?: string;
  readonly multiAttach: boolean;
  readonly attachments: readonly VolumeAttachment[];
  /** Metadata or tags, where the cloud keeps them on volumes. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** When the cloud created it (ISO 8601), where it says. */
  readonly createdAt?: string;
  /** The cloud's volume type (Cinder type, EBS type, Azure SKU), where it says. */
  readonly volumeType?: string;
}

/** What a new server is made from. */
export interface CreateServerRequest {
  /** Server name (EC2: the `Name` tag; Azure: the VM name). */
  readonly name: string;
  /** Image id or name (AMI id; Azure image id or `publisher:offer:sku:version`). */
  readonly image: string;
  /** Flavor id or name (EC2 instance type; Azure VM size). */
  readonly flavor: string;
  /** Networks, subnets or NICs to attach, by id (OpenStack: network uuid or name). */
  readonly networks?: readonly string[];
  /** Security groups (OpenStack: names; EC2: ids). */
  readonly securityGroups?: readonly string[];
  /**
   * Availability zone; for cascading clouds it may also select the region.
   * `undefined` is allowed so a volume's (optional) zone can be passed on as read.
   */
  readonly availabilityZone?: string | undefined;
  /** Region, for drivers that span regions (cascading). */
  readonly region?: string;
  /** Plain-text user data (cloud-init); drivers encode it as the cloud requires. */
  readonly userData?: string;
  /** Key pair name (OpenStack, EC2). */
  readonly keyName?: string;
  /** Admin user name, where the cloud needs one (Azure). */
  readonly adminUsername?: string;
  /** SSH public key text, where the cloud takes one directly (Azure). */
  readonly sshPublicKey?: string;
  /** Metadata or tags. */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * Servers created with the same group name are never placed on the same
   * host (capability `antiAffinity`). The group is found by name, or made on
   * first use: a Nova server group (policy `anti-affinity`), an EC2 spread
   * placement group, an Azure availability set. A placement the cloud cannot
   * satisfy ends in `placement-failed`. Each cloud's name grammar applies.
   */
  readonly antiAffinityGroup?: string;
}

/** Names a server. */
export interface ServerRef {
  readonly serverId: string;
}

/** Names a volume. */
export interface VolumeRef {
  readonly volumeId: string;
}

/** Attach `volumeId` to `serverId`. */
export interface AttachVolumeRequest extends ServerRef, VolumeRef {
  /** Device name to ask for (`/dev/vdb`, `/dev/sdf`, `lun:3`); the cloud may pick another. */
  readonly device?: string;
  /** Attach read-only, where the cloud supports it. */
  readonly readOnly?: boolean;
}

/** Detach `volumeId` from `serverId`. */
export interface DetachVolumeRequest extends ServerRef, VolumeRef {}

/** The outcome of a detach. */
export interface DetachVolumeResult {
  /** The volume as last seen. */
  readonly volume: Volume;
  /** False when the volume was not attached to that server: nothing was done. */
  readonly detached: boolean;
}

/** The outcome of a delete. */
export interface DeleteServerResult {
  readonly serverId: string;
  /** False when the server was already gone. */
  readonly deleted: boolean;
}

/** One region of a multi-region driver, and what it offers. */
export interface RegionInfo {
  readonly name: string;
  /** Service types found, normalized (`compute`, `volume`). */
  readonly services: readonly string[];
  /** The services this broker needs that the region lacks. */
  readonly missing: readonly string[];
}

/** Which servers `listServers` returns; every field given narrows the list. */
export interface ServerFilter {
  /** The exact name (EC2: the `Name` tag). */
  readonly name?: string;
  /** Metadata or tag pairs the server must all carry. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The idempotency key the server was created with. */
  readonly idempotencyKey?: string;
  /** Only this region (multi-region drivers); others list every region. */
  readonly region?: string;
}

/** Which volumes `listVolumes` returns; every field given narrows the list. */
export interface VolumeFilter {
  /** The exact name (EC2: the `Name` tag). */
  readonly name?: string;
  /** Metadata or tag pairs the volume must all carry. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Only volumes attached to this server. */
  readonly serverId?: string;
  /** Only volumes in this normalized status. */
  readonly status?: VolumeStatus;
  /** Only this region (multi-region drivers); others list every region. */
  readonly region?: string;
}

/** Move `volumeId` from `fromServerId` to `toServerId` (see `moveVolume`). */
export interface MoveVolumeRequest extends VolumeRef {
  readonly fromServerId: string;
  readonly toServerId: string;
  /** Device name to ask for on the target server. */
  readonly device?: string;
}

/** What a move did. */
export interface MoveVolumeResult {
  /** The attachment to the target server. */
  readonly attachment: VolumeAttachment;
  /** True when this call detached the volume from the source server. */
  readonly detached: boolean;
  /** True when this call attached the volume to the target (false: it already was). */
  readonly attached: boolean;
}
