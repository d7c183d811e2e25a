import { catalogLister } from './catalog/catalog-lister.js';
import { validateCatalog } from './catalog/catalog-schemas.js';
import type { FlavorFilter, ImageFilter } from './catalog/catalog-types.js';
import type { CallOptions, DetachOptions, Platform, PlatformDriver, ReadOptions } from './driver.js';
import { BrokerError } from './errors.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { ListOptions } from './list-paging.js';
import type { SetServerMetadataRequest, SetVolumeMetadataRequest } from './metadata-types.js';
import { moveVolume } from './move-volume.js';
import type { RebootServerRequest, StartServerRequest, StopServerRequest } from './power-types.js';
import { validateRequest } from './request-schemas.js';
import { CallPolicies } from './runtime/call-policies.js';
import { iterateAll, listAll, listSources, pageCall, type ReadCall } from './runtime/list-policy.js';
import { metadataCall } from './runtime/metadata-policy.js';
import { powerCall } from './runtime/power-policy.js';
import type { RuntimeContext } from './runtime/runtime-context.js';
import { ServerLockPolicy } from './runtime/server-lock-policy.js';
import { snapshotCall } from './runtime/snapshot-policy.js';
import { requestChecks } from './runtime/validation-policy.js';
import { checkCreateVolume, checkDeleteVolume, volumeOperation } from './runtime/volume-checks.js';
import type * as Snap from './snapshots/snapshot-types.js';
import type {
  AttachVolumeRequest,
  CreateServerRequest,
  DetachVolumeRequest,
  MoveVolumeRequest,
  RegionInfo,
  ServerFilter,
  ServerRef,
  VolumeFilter,
  VolumeRef,
} from './types.js';
import type { CreateVolumeRequest } from './volume-types.js';
import { watchPlatform } from './watch/platform-watch.js';
import type { SharedLists } from './watch/shared-lists.js';
import type { WatchOptions, WatchSelector } from './watch/watch-types.js';

export type { RuntimeContext } from './runtime/runtime-context.js';

/**
 * Wraps any driver once, so drivers stay simple: requests are validated
 * (errors name the field), attach and detach are serialized per server
 * (until the driver says its request was accepted: `serverRelease` in driver-kit),
 * every operation emits start/end events, a pre-aborted signal fails at once,
 * and every failure leaves as a BrokerError with platform and operation set
 * and no secret in its message. It adds `moveVolume`, written once here
 * over the driver's own calls, and list calls that say so when the driver
 * has none. The platform it returns is an instance of a class: its methods
 * live on the prototype, so a copy of it by spread has none.
 */
export function wrapDriver(driver: PlatformDriver, context: RuntimeContext): Platform {
  return new RuntimeDriver(driver, context);
}

/**
 * One short method per operation; what every call shares is a policy of its own, composed
 * in `CallPolicies.run` (runtime/call-policies.ts) in this order, outermost first: the deadline,
 * the call frame and its events, the secret scrubbing of every failure (inside the events, whose
 * error event carries the clean code), then in each method the input validation and the
 * per-server lock (which needs the validated server id). The model is kysely's RuntimeDriver, the policies Azure
 * core-rest-pipeline's. Every call takes one async path, with or without listeners: no
 * benchmark of this repo showed the frame a quiet path saved.
 */
class RuntimeDriver implements Platform {
  readonly kind: string;
  readonly capabilities: PlatformDriver['capabilities'];
  // An own property only when the driver has it: `'listRegions' in platform` tells a multi-region one.
  declare readonly listRegions?: (options?: ReadOptions) => Promise<readonly RegionInfo[]>;
  declare readonly listServersPage?: PlatformDriver['listServersPage'];
  declare readonly listVolumesPage?: PlatformDriver['listVolumesPage'];
  declare readonly listVolumeChanges?: PlatformDriver['listVolumeChanges'];
  declare readonly listServerChanges?: PlatformDriver['listServerChanges'];
  readonly #driver: PlatformDriver;
  readonly #platform: string;
  readonly #calls: CallPolicies;
  readonly #call: CallPolicies['call'];
  readonly #read: CallPolicies['read'];
  readonly #run: CallPolicies['run'];
  readonly #lock: ServerLockPolicy;
  readonly #lists: ReturnType<typeof listSources>;
  readonly #readCall: ReadCall = (operation, options, request, body) =>
    this.#read(operation, options, request, body);
  #watchLists: SharedLists | undefined;
  readonly #clock: RuntimeContext['clock'];

  constructor(driver: PlatformDriver, context: RuntimeContext) {
    this.kind = driver.kind;
    this.capabilities = driver.capabilities;
    this.#driver = driver;
    this.#platform = context.platform;
    this.#calls = new CallPolicies(context, driver.kind);
    this.#call = this.#calls.call.bind(this.#calls);
    this.#read = this.#calls.read.bind(this.#calls);
    this.#run = this.#calls.run.bind(this.#calls);
    this.#lock = new ServerLockPolicy(
      context.mutex ?? new KeyedMutex(),
      driver.ordersAttachesItself === true,
    );
    this.#lists = listSources(driver);
    this.#clock = context.clock;
    const listRegions = driver.listRegions?.bind(driver);
    if (listRegions) {
      this.listRegions = (options) => this.#read('listRegions', options, undefined, (o) => listRegions(o));
    }
    // Own properties too, for a caller that keeps its own cursor (and the paging contract cases).
    const serversPage = pageCall(this.#readCall, this.#lists.servers);
    if (serversPage) this.listServersPage = serversPage;
    const volumesPage = pageCall(this.#readCall, this.#lists.volumes);
    if (volumesPage) this.listVolumesPage = volumesPage;
    // Changes lists for watches (and cascading), reported and scrubbed like any read.
    const volumeChanges = driver.listVolumeChanges?.bind(driver);
    if (volumeChanges) {
      this.listVolumeChanges = (since, o) =>
        this.#read('listVolumeChanges', o, undefined, (r) => volumeChanges(since, r));
    }
    const serverChanges = driver.listServerChanges?.bind(driver);
    if (serverChanges) {
      this.listServerChanges = (since, o) =>
        this.#read('listServerChanges', o, undefined, (r) => serverChanges(since, r));
    }
  }

  createServer(request: CreateServerRequest, options?: CallOptions) {
    return this.#call('createServer', request, options, (o) =>
      this.#driver.createServer(requestChecks.createServer(request, this.#driver), o),
    );
  }

  attachVolume(request: AttachVolumeRequest, options?: CallOptions) {
    return this.#call('attachVolume', request, options, (o) => {
      const valid = validateRequest.attachVolume(request);
      return this.#lock.run(valid.serverId, o, (locked) => this.#driver.attachVolume(valid, locked));
    });
  }

  detachVolume(request: DetachVolumeRequest, options?: DetachOptions) {
    return this.#call('detachVolume', request, options, (o) => {
      const valid = requestChecks.detachVolume(request, o, this.#driver);
      return this.#lock.run(valid.serverId, o, (locked) => this.#driver.detachVolume(valid, locked));
    });
  }

  getServer(request: ServerRef, options?: ReadOptions) {
    return this.#read('getServer', options, request, (o) =>
      this.#driver.getServer(validateRequest.serverRef(request), o),
    );
  }

  getVolume(request: VolumeRef, options?: ReadOptions) {
    return this.#read('getVolume', options, request, (o) =>
      this.#driver.getVolume(validateRequest.volumeRef(request), o),
    );
  }

  deleteServer(request: ServerRef, options?: CallOptions) {
    return this.#call('deleteServer', request, options, (o) =>
      this.#driver.deleteServer(validateRequest.serverRef(request), o),
    );
  }

  listServers(filter?: ServerFilter, options?: ListOptions) {
    return listAll(this.#lists.servers, this.#readCall, filter, options);
  }

  listVolumes(filter?: VolumeFilter, options?: ListOptions) {
    return listAll(this.#lists.volumes, this.#readCall, filter, options);
  }

  iterateServers(filter?: ServerFilter, options?: ListOptions) {
    return iterateAll(this.#lists.servers, this.#readCall, filter, options);
  }

  iterateVolumes(filter?: VolumeFilter, options?: ListOptions) {
    return iterateAll(this.#lists.volumes, this.#readCall, filter, options);
  }

  startServer(request: StartServerRequest, options?: CallOptions) {
    return this.#call('startServer', request, options, (o) =>
      powerCall(this.#driver, 'startServer', request, o),
    );
  }

  stopServer(request: StopServerRequest, options?: CallOptions) {
    return this.#call('stopServer', request, options, (o) =>
      powerCall(this.#driver, 'stopServer', request, o),
    );
  }

  rebootServer(request: RebootServerRequest, options?: CallOptions) {
    return this.#call('rebootServer', request, options, (o) =>
      powerCall(this.#driver, 'rebootServer', request, o),
    );
  }

  listImages(filter?: ImageFilter, options?: ReadOptions) {
    return this.#read('listImages', options, filter, (o) => {
      const valid = validateCatalog.imageFilter(filter);
      return catalogLister(this.#driver.listImages, this.#driver, 'listImages').call(this.#driver, valid, o);
    });
  }

  listFlavors(filter?: FlavorFilter, options?: ReadOptions) {
    return this.#read('listFlavors', options, filter, (o) => {
      const valid = validateCatalog.flavorFilter(filter);
      return catalogLister(this.#driver.listFlavors, this.#driver, 'listFlavors').call(
        this.#driver,
        valid,
        o,
      );
    });
  }

  // Over the wrapped calls: each step is validated, serialized per server, reported like a
  // direct call and bounded by its own deadline, so the move itself takes no single one.
  moveVolume(request: MoveVolumeRequest, options?: CallOptions) {
    return this.#run('moveVolume', options, undefined, request, (o) =>
      moveVolume(this, validateRequest.moveVolume(request), o),
    );
  }

  createVolume(request: CreateVolumeRequest, options?: CallOptions) {
    return this.#call('createVolume', request, options, (o) =>
      volumeOperation(this.#driver, 'createVolume')(checkCreateVolume(request, this.#driver), o),
    );
  }

  deleteVolume(request: VolumeRef, options?: CallOptions) {
    return this.#call('deleteVolume', request, options, (o) =>
      volumeOperation(this.#driver, 'deleteVolume')(checkDeleteVolume(request), o),
    );
  }

  createSnapshot(request: Snap.CreateSnapshotRequest, options?: CallOptions) {
    return this.#call('createSnapshot', request, options, (o) =>
      snapshotCall(this.#driver, 'createSnapshot', request, o),
    );
  }

  getSnapshot(request: Snap.SnapshotRef, options?: ReadOptions) {
    return this.#read('getSnapshot', options, request, (o) =>
      snapshotCall(this.#driver, 'getSnapshot', request, o),
    );
  }

  listSnapshots(filter?: Snap.SnapshotFilter, options?: ReadOptions) {
    return this.#read('listSnapshots', options, filter, (o) =>
      snapshotCall(this.#driver, 'listSnapshots', filter, o),
    );
  }

  deleteSnapshot(request: Snap.SnapshotRef, options?: CallOptions) {
    return this.#call('deleteSnapshot', request, options, (o) =>
      snapshotCall(this.#driver, 'deleteSnapshot', request, o),
    );
  }

  setVolumeMetadata(request: SetVolumeMetadataRequest, options?: CallOptions) {
    return this.#call('setVolumeMetadata', request, options, (o) =>
      metadataCall(this.#driver, 'setVolumeMetadata', request, o),
    );
  }

  setServerMetadata(request: SetServerMetadataRequest, options?: CallOptions) {
    return this.#call('setServerMetadata', request, options, (o) =>
      metadataCall(this.#driver, 'setServerMetadata', request, o),
    );
  }

  // Over the wrapped lists, so each list is validated, reported and scrubbed like a direct call.
  watch(selector: WatchSelector, options?: WatchOptions) {
    this.#watchLists ??= watchPlatform.lists(this, this.#clock);
    const push = watchPlatform.push(this, this.#driver, this.#calls.scrub);
    return watchPlatform.start(this.#watchLists, selector, options, this.#clock, this.#calls.scrub, push);
  }

  /** Ends the calls still running (`aborted`), then closes the driver. */
  async close(): Promise<void> {
    this.#calls.deadlines.cancelAll(
      new BrokerError('aborted', `the ${this.#platform} platform was closed while the call ran`),
    );
    await this.#driver.close?.();
  }
}
