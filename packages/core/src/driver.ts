import type {
  AttachVolumeRequest,
  CreateServerRequest,
  DeleteServerResult,
  DetachVolumeRequest,
  DetachVolumeResult,
  MoveVolumeRequest,
  MoveVolumeResult,
  RegionInfo,
  Server,
  ServerFilter,
  ServerRef,
  Volume,
  VolumeAttachment,
  VolumeFilter,
  VolumeRef,
} from './types.js';
import type { Watch, WatchOptions, WatchSelector } from './watch/watch-types.js';

/** How a call waits for its change to hold. Every field has a default. */
export interface WaitOptions {
  /** Give up after this long, with a `timeout` error. Default 300 000 ms. */
  readonly timeoutMs?: number;
  /** First delay between polls. Default 250 ms. */
  readonly initialDelayMs?: number;
  /** Longest delay between polls. Default 5 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth of the delay per poll. Default 1.5. */
  readonly multiplier?: number;
  /** Fraction of each delay drawn at random (0..1), so callers do not poll in step. Default 0.2. */
  readonly jitter?: number;
}

/** Options every read takes. */
export interface ReadOptions {
  /** Aborts the call; it then rejects with an `aborted` BrokerError. */
  readonly signal?: AbortSignal;
  /**
   * The read's deadline: every request and retry sleep of it ends by then, and the call
   * rejects with a `timeout` BrokerError. Default: the platform's `wait.timeoutMs`.
   * (A mutating call's deadline is its `wait.timeoutMs`, with the same default.)
   */
  readonly timeoutMs?: number;
}

/** Options every mutating call takes. */
export interface CallOptions extends ReadOptions {
  /** `false` returns as soon as the cloud accepted the request; otherwise waits until the change holds. */
  readonly wait?: false | WaitOptions;
  /**
   * Makes a create safe to repeat: a second create with the same key returns
   * the first server instead of making another one. Also allows the retry
   * policy to repeat a create whose response was lost.
   */
  readonly idempotencyKey?: string;
}

/** Options of `detachVolume`: a mutating call's, and whether to force it. */
export interface DetachOptions extends CallOptions {
  /**
   * Forces the detach of a volume whose detach is stuck or whose server hangs (EC2 `Force`,
   * Azure `ForceDetach`, Cinder `os-force_detach`). It still waits until the volume is
   * available, and is a no-op on a volume not attached there. Needs capability `forceDetach`;
   * the guest may lose writes it had not flushed. Default false.
   */
  readonly force?: boolean;
}

/**
 * What a driver can do. Every flag is optional; {@link resolveCapabilities}
 * fills the defaults, so adding a flag never breaks a third-party driver.
 */
export interface DriverCapabilities {
  /** A volume may be attached to more than one server. Default false. */
  readonly multiAttach?: boolean;
  /** The device asked for in an attach is honoured. Default false. */
  readonly requestedDeviceHonoured?: boolean;
  /** The cloud has availability zones and attaches must stay within one. Default true. */
  readonly availabilityZones?: boolean;
  /** `idempotencyKey` on createServer is honoured. Default false. */
  readonly idempotentCreate?: boolean;
  /** Read-only attaches are supported. Default false. */
  readonly readOnlyAttach?: boolean;
  /** The driver spans regions and offers `listRegions`. Default false. */
  readonly regions?: boolean;
  /** Attachments carry `guestPaths`, where the disk is expected inside the guest. Default false. */
  readonly guestPaths?: boolean;
  /** `detachVolume(request, { force: true })` is supported. Default false. */
  readonly forceDetach?: boolean;
  /** `antiAffinityGroup` on createServer is honoured. Default false: a create naming one is refused. */
  readonly antiAffinity?: boolean;
  /** `platform.watch` is supported (the driver lists volumes and servers). Default false. */
  readonly watch?: boolean;
}

/** Capabilities with every flag set. */
export type ResolvedCapabilities = Required<DriverCapabilities>;

const DEFAULT_CAPABILITIES: ResolvedCapabilities = {
  multiAttach: false,
  requestedDeviceHonoured: false,
  availabilityZones: true,
  idempotentCreate: false,
  readOnlyAttach: false,
  regions: false,
  guestPaths: false,
  forceDetach: false,
  antiAffinity: false,
  watch: false,
};

/** Fills the defaults of every capability flag a driver left out. */
export function resolveCapabilities(capabilities: DriverCapabilities | undefined): ResolvedCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...capabilities };
}

/**
 * The one interface every cloud is driven through.
 *
 * Mutating calls wait by default until the change holds in the cloud: a
 * created server is running, an attached volume is in-use with the
 * attachment, a detached volume is available, a deleted server is gone.
 */
export interface PlatformDriver {
  /** The driver kind, e.g. `openstack`. */
  readonly kind: string;
  readonly capabilities: DriverCapabilities;
  /** Creates a server from an image and waits until it is running. */
  createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server>;
  /** Attaches a volume and waits until the cloud shows it attached; returns the attachment with its device. */
  attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment>;
  /**
   * Detaches a volume and waits until it is available; a volume not attached there is a no-op.
   * `{ force: true }` forces it (capability `forceDetach`).
   */
  detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult>;
  /** Reads a server; `not-found` if it does not exist. */
  getServer(request: ServerRef, options?: ReadOptions): Promise<Server>;
  /** Reads a volume; `not-found` if it does not exist. */
  getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume>;
  /** Deletes a server and waits until it is gone; an already missing server is a no-op. */
  deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult>;
  /**
   * The servers that match `filter` (all of them without one), every page
   * read. Optional for third-party drivers; every built-in driver has it.
   */
  listServers?(filter?: ServerFilter, options?: ReadOptions): Promise<readonly Server[]>;
  /** The volumes that match `filter`, every page read. Optional like `listServers`. */
  listVolumes?(filter?: VolumeFilter, options?: ReadOptions): Promise<readonly Volume[]>;
  /** Regions and the services each offers (multi-region drivers only). */
  listRegions?(options?: ReadOptions): Promise<readonly RegionInfo[]>;
  /** Releases sockets, timers and caches. */
  close?(): Promise<void>;
  /**
   * True when the driver orders the attaches and detaches of one server
   * itself (it batches them into one server update): the runtime then does
   * not serialize them per server, which would keep them from meeting.
   */
  readonly ordersAttachesItself?: boolean;
}

/**
 * What `broker.platform(name)` (and `wrapDriver`) returns: a driver with the
 * operations core adds over every driver. `listServers` and `listVolumes`
 * answer `invalid-request` when the driver underneath has none.
 */
export interface Platform extends PlatformDriver {
  listServers(filter?: ServerFilter, options?: ReadOptions): Promise<readonly Server[]>;
  listVolumes(filter?: VolumeFilter, options?: ReadOptions): Promise<readonly Volume[]>;
  /** Moves a volume between servers, with a rollback; see core's `moveVolume`. */
  moveVolume(request: MoveVolumeRequest, options?: CallOptions): Promise<MoveVolumeResult>;
  /** A change feed of the selected volumes and servers; see docs/watch.md. */
  watch(selector: WatchSelector, options?: WatchOptions): Watch;
}

/** The mutating operations, for events and errors. */
export type OperationName = 'createServer' | 'attachVolume' | 'detachVolume' | 'deleteServer' | 'moveVolume';
