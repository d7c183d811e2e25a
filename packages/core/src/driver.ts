import type { Flavor, FlavorFilter, Image, ImageFilter } from './catalog/catalog-types.js';
import type { ListOptions, ListPage, PageOptions } from './list-paging.js';
import type { SetServerMetadataRequest, SetVolumeMetadataRequest } from './metadata-types.js';
import type {
  PowerOperation,
  RebootServerRequest,
  StartServerRequest,
  StopServerRequest,
} from './power-types.js';
import type { ReadOptions } from './read-options.js';
import type * as Snap from './snapshots/snapshot-types.js';
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
import type { CreateVolumeRequest, DeleteVolumeResult } from './volume-types.js';

// In a file of its own so that list-paging.ts can extend it without an import cycle.
export type { ReadOptions } from './read-options.js';

// In a file of its own (the flags and their defaults); re-exported so every import keeps working.
import type { DriverCapabilities } from './driver-capabilities.js';

export type { DriverCapabilities, ResolvedCapabilities } from './driver-capabilities.js';
export { resolveCapabilities } from './driver-capabilities.js';

import type { ChangeList } from './watch/change-list.js';
import type { WatchSource } from './watch/watch-source.js';
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
  /**
   * One page of the servers that match `filter`, from `options.cursor` on. Optional: with it,
   * a list with a `limit` and `iterateServers` read only the pages they need.
   */
  listServersPage?(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>>;
  /** One page of the volumes that match `filter`. Optional like `listServersPage`. */
  listVolumesPage?(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>>;
  /** The platform's push source of change hints for `watch` (configured notifications), if any. */
  watchSource?(): WatchSource | undefined;
  /**
   * Creates a volume and waits until it is available; with `idempotencyKey` a repeat
   * returns the same volume. Optional (capability `volumeLifecycle`).
   */
  createVolume?(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume>;
  /**
   * Deletes a volume and waits until it is gone; an already missing one is `{ deleted: false }`.
   * An attached volume is `invalid-state`. Optional (capability `volumeLifecycle`).
   */
  deleteVolume?(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult>;
  /** The images that match `filter`, every page read (capability `listImages`). */
  listImages?(filter?: ImageFilter, options?: ReadOptions): Promise<readonly Image[]>;
  /** The flavors that match `filter`, every page read (capability `listFlavors`). */
  listFlavors?(filter?: FlavorFilter, options?: ReadOptions): Promise<readonly Flavor[]>;
  /**
   * The volumes changed since `since` (a `next` of an earlier answer), or all of them without
   * it. Optional: with it, a watch lists only changes between resyncs (docs/watch.md).
   */
  listVolumeChanges?(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Volume>>;
  /** The servers changed since `since`, with the ones deleted; optional like `listVolumeChanges`. */
  listServerChanges?(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Server>>;
  /** Regions and the services each offers (multi-region drivers only). */
  listRegions?(options?: ReadOptions): Promise<readonly RegionInfo[]>;
  /** Starts a stopped server and waits until it runs; a running one is returned, nothing sent (capability `power`). */
  startServer?(request: StartServerRequest, options?: CallOptions): Promise<Server>;
  /** Stops a running server and waits until it is stopped; a stopped one is returned, nothing sent. */
  stopServer?(request: StopServerRequest, options?: CallOptions): Promise<Server>;
  /** Reboots a running server and waits until the reboot is over (what that means per cloud: docs/operations.md). */
  rebootServer?(request: RebootServerRequest, options?: CallOptions): Promise<Server>;
  /** Snapshots a volume and waits until the copy is available; with `idempotencyKey` a repeat returns it (capability `snapshots`). */
  createSnapshot?(request: Snap.CreateSnapshotRequest, options?: CallOptions): Promise<Snap.Snapshot>;
  /** Reads a snapshot; `not-found` if it does not exist (capability `snapshots`). */
  getSnapshot?(request: Snap.SnapshotRef, options?: ReadOptions): Promise<Snap.Snapshot>;
  /** The snapshots that match `filter`, every page read (capability `snapshots`). */
  listSnapshots?(filter?: Snap.SnapshotFilter, options?: ReadOptions): Promise<readonly Snap.Snapshot[]>;
  /** Deletes a snapshot and waits until it is gone; an already missing one is `{ deleted: false }`. */
  deleteSnapshot?(request: Snap.SnapshotRef, options?: CallOptions): Promise<Snap.DeleteSnapshotResult>;
  /** Merges a change into a volume's metadata and waits until a read shows it (capability `metadata`). */
  setVolumeMetadata?(request: SetVolumeMetadataRequest, options?: CallOptions): Promise<Volume>;
  /** Merges a change into a server's metadata and waits until a read shows it (capability `metadata`). */
  setServerMetadata?(request: SetServerMetadataRequest, options?: CallOptions): Promise<Server>;
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
 * answer `invalid-request` when the driver underneath has none, and so do the power
 * calls on a driver without capability `power`.
 */
export interface Platform extends PlatformDriver {
  listServers(filter?: ServerFilter, options?: ListOptions): Promise<readonly Server[]>;
  listVolumes(filter?: VolumeFilter, options?: ListOptions): Promise<readonly Volume[]>;
  /**
   * The servers that match `filter`, one by one, a page read only when the last is used up
   * (`for await (const s of platform.iterateServers(filter)) ...`). `timeoutMs` bounds each
   * page's read, `signal` the whole iteration; breaking out of the loop sends no further request.
   */
  iterateServers(filter?: ServerFilter, options?: ListOptions): AsyncIterable<Server>;
  /** The volumes that match `filter`, one by one; see `iterateServers`. */
  iterateVolumes(filter?: VolumeFilter, options?: ListOptions): AsyncIterable<Volume>;
  /** As the driver's; `invalid-request` when it has no `power`. */
  startServer(request: StartServerRequest, options?: CallOptions): Promise<Server>;
  /** As the driver's; `invalid-request` when it has no `power`. */
  stopServer(request: StopServerRequest, options?: CallOptions): Promise<Server>;
  /** As the driver's; `invalid-request` when it has no `power`. */
  rebootServer(request: RebootServerRequest, options?: CallOptions): Promise<Server>;
  /** The images that match `filter`; `invalid-request` on a driver without capability `listImages`. */
  listImages(filter?: ImageFilter, options?: ReadOptions): Promise<readonly Image[]>;
  /** The flavors that match `filter`; `invalid-request` on a driver without capability `listFlavors`. */
  listFlavors(filter?: FlavorFilter, options?: ReadOptions): Promise<readonly Flavor[]>;
  /** Moves a volume between servers, with a rollback; see core's `moveVolume`. */
  moveVolume(request: MoveVolumeRequest, options?: CallOptions): Promise<MoveVolumeResult>;
  /** As the driver's; `invalid-request` when it has no `volumeLifecycle`. */
  createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume>;
  /** As the driver's; `invalid-request` when it has no `volumeLifecycle`. */
  deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult>;
  /** As the driver's; `invalid-request` when it has no `snapshots`. */
  createSnapshot(request: Snap.CreateSnapshotRequest, options?: CallOptions): Promise<Snap.Snapshot>;
  /** As the driver's; `invalid-request` when it has no `snapshots`. */
  getSnapshot(request: Snap.SnapshotRef, options?: ReadOptions): Promise<Snap.Snapshot>;
  /** As the driver's; `invalid-request` when it has no `snapshots`. */
  listSnapshots(filter?: Snap.SnapshotFilter, options?: ReadOptions): Promise<readonly Snap.Snapshot[]>;
  /** As the driver's; `invalid-request` when it has no `snapshots`. */
  deleteSnapshot(request: Snap.SnapshotRef, options?: CallOptions): Promise<Snap.DeleteSnapshotResult>;
  /** As the driver's; `invalid-request` when it has no `metadata`. */
  setVolumeMetadata(request: SetVolumeMetadataRequest, options?: CallOptions): Promise<Volume>;
  /** As the driver's; `invalid-request` when it has no `metadata`. */
  setServerMetadata(request: SetServerMetadataRequest, options?: CallOptions): Promise<Server>;
  /** A change feed of the selected volumes and servers; see docs/watch.md. */
  watch(selector: WatchSelector, options?: WatchOptions): Watch;
}

/** The signature of one power call (`PowerCall<'stopServer'>`), for drivers that define them as fields. */
export type PowerCall<K extends PowerOperation> = NonNullable<PlatformDriver[K]>;

/** The mutating operations, for events and errors. */
export type OperationName =
  | 'createServer'
  | 'attachVolume'
  | 'detachVolume'
  | 'deleteServer'
  | 'moveVolume'
  | 'createVolume'
  | 'deleteVolume'
  | 'startServer'
  | 'stopServer'
  | 'rebootServer'
  | 'createSnapshot'
  | 'deleteSnapshot'
  | 'setVolumeMetadata'
  | 'setServerMetadata';
