import type {
  AttachVolumeRequest,
  CallOptions,
  ChangeList,
  CreateServerRequest,
  CreateVolumeRequest,
  DeleteServerResult,
  DeleteVolumeResult,
  DetachOptions,
  DetachVolumeRequest,
  DetachVolumeResult,
  Flavor,
  FlavorFilter,
  Image,
  ImageFilter,
  ListPage,
  PageOptions,
  PlatformDriver,
  PowerCall,
  PowerOperation,
  ReadOptions,
  Server,
  ServerFilter,
  ServerRef,
  Volume,
  VolumeAttachment,
  VolumeFilter,
  VolumeRef,
  WaitOptions,
} from '@hybrid-broker/core';
import {
  type RuntimeContext,
  resolveCallOptions,
  withServerLock,
  wrapDriver,
} from '@hybrid-broker/core/driver-kit';
import { CASCADING_CAPABILITIES } from './cascading-capabilities.js';
import { cascadingSnapshotCalls } from './cascading-snapshots.js';
import { createVolumeAcross, deleteVolumeRouted } from './cascading-volumes.js';
import { IdRouting, notFound } from './id-routing.js';
import { listFlavorsAcross, listImagesAcross } from './region-catalog.js';
import { serverChangesAcross, volumeChangesAcross } from './region-changes.js';
import type { RegionDirectory } from './region-directory.js';
import type { CascadedRegion } from './region-discovery.js';
import { listServersAcross, listVolumesAcross } from './region-lists.js';
import { serverMetadataInRegion, volumeMetadataInRegion } from './region-metadata.js';
import { serversPageAcross, volumesPageAcross } from './region-pages.js';
import { type PowerRequest, powerInRegion } from './region-power.js';
import { inRegion, inRegionCall } from './region-results.js';
import type { RegionRouter } from './region-router.js';
import { RegionView } from './region-view.js';

/** What a CascadingDriver is made of. */
export interface CascadingDriverOptions {
  readonly directory: RegionDirectory;
  readonly router: RegionRouter;
  /** What an id without a region prefix means. */
  readonly bareIds: 'search' | 'reject';
  /** Wait defaults of the platform. */
  readonly wait?: WaitOptions | undefined;
  /** How `region(name)` handles are wrapped (platform name, events, secrets to scrub). */
  readonly runtime: Omit<RuntimeContext, 'mutex'>;
}

/**
 * Every cascaded cloud of one Keystone catalog as one PlatformDriver. A
 * create goes to `request.region`, or to the region of its availability zone;
 * every id it returns is `<region>:<id>` (see `formatRegionId`), so later
 * calls go straight to that region. `region(name)` gives one cloud as a plain
 * OpenStack driver. All regions share one Keystone token.
 *
 * @example
 * const server = await cascade.createServer({ name: 'sg-1', image: 'sg-client', flavor: 'm1.small', availabilityZone: 'az2' });
 * server.id // 'az2:6f1c...'
 * await cascade.attachVolume({ serverId: server.id, volumeId: 'az2:0b7e...' });
 */
export class CascadingDriver implements PlatformDriver {
  readonly kind = 'cascading';
  readonly capabilities = CASCADING_CAPABILITIES;
  readonly #o: CascadingDriverOptions;
  readonly #views = new Map<string, PlatformDriver>();
  readonly #ids: IdRouting;

  constructor(options: CascadingDriverOptions) {
    this.#o = options;
    this.#ids = new IdRouting(options);
  }

  /** How many times the catalog was read (one per new token). */
  get catalogVersion(): number {
    return this.#o.directory.catalogVersion;
  }

  /** The regions of the current catalog (after the filter), with what each offers and lacks. */
  async listRegions(options?: ReadOptions): Promise<readonly CascadedRegion[]> {
    return [...(await this.#o.directory.table(options?.signal)).regions.values()];
  }

  /**
   * One cascaded cloud as an OpenStack PlatformDriver with the cloud's own ids,
   * wrapped like a broker platform (validation, per-server serialization shared
   * with this driver, events, secret scrubbing). The region is checked on each call.
   */
  region(name: string): PlatformDriver {
    let view = this.#views.get(name);
    if (!view) {
      const { runtime, directory } = this.#o;
      view = wrapDriver(new RegionView(directory, name), {
        ...runtime,
        platform: `${runtime.platform}/${name}`,
        mutex: directory.mutex(name),
      });
      this.#views.set(name, view);
    }
    return view;
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = resolveCallOptions(options, this.#o.wait);
    const table = await this.#o.directory.table(call.signal);
    const { region, field } = this.#o.router.route(request, table);
    const handle = await this.#o.directory.handle(region, ['compute'], field, call.signal);
    const { region: _chosen, ...forRegion } = request;
    const server = await inRegionCall(region, () => handle.driver.createServer(forRegion, options));
    return inRegion.server(region, server);
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    const routed = await this.#ids.route(request.serverId, 'serverId', 'compute', options?.signal);
    if (!routed) throw notFound('server', request.serverId);
    const { handle, providerId } = routed;
    const server = await inRegionCall(handle.info.name, () =>
      handle.driver.getServer({ serverId: providerId }, options),
    );
    return inRegion.server(handle.info.name, server);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    const routed = await this.#ids.route(request.volumeId, 'volumeId', 'volume', options?.signal);
    if (!routed) throw notFound('volume', request.volumeId);
    const { handle, providerId } = routed;
    const volume = await inRegionCall(handle.info.name, () =>
      handle.driver.getVolume({ volumeId: providerId }, options),
    );
    return inRegion.volume(handle.info.name, volume);
  }

  /** Lists every region (or `filter.region`); ids carry their region. */
  listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    return listServersAcross(this.#o.directory, filter, options?.signal);
  }

  /** Lists every region (or `filter.region`, or the region of `filter.serverId`); ids carry their region. */
  listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    return listVolumesAcross(this.#o.directory, filter, options?.signal);
  }

  /** The servers changed in every region since `since`, per region (see region-changes.ts). */
  listServerChanges(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Server>> {
    return serverChangesAcross(this.#o.directory, since, options?.signal);
  }

  /** The volumes changed in every region since `since`, per region. */
  listVolumeChanges(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Volume>> {
    return volumeChangesAcross(this.#o.directory, since, options?.signal);
  }

  /** One page of one region at a time; the cursor names the region. */
  listServersPage(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>> {
    return serversPageAcross(this.#o.directory, filter, options);
  }

  /** One page of one region at a time, as `listServersPage`. */
  listVolumesPage(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>> {
    return volumesPageAcross(this.#o.directory, filter, options);
  }

  /** Lists every region offering Glance (or `filter.region`); each image carries its region. */
  listImages(filter: ImageFilter = {}, options?: ReadOptions): Promise<readonly Image[]> {
    return listImagesAcross(this.#o.directory, filter, options?.signal);
  }

  /** Lists every region offering Nova (or `filter.region`); each flavor carries its region. */
  listFlavors(filter: FlavorFilter = {}, options?: ReadOptions): Promise<readonly Flavor[]> {
    return listFlavorsAcross(this.#o.directory, filter, options?.signal);
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    const routed = await this.#ids.route(request.serverId, 'serverId', 'compute', call.signal);
    if (!routed) return { serverId: request.serverId, deleted: false };
    const { handle, providerId } = routed;
    const result = await inRegionCall(handle.info.name, () =>
      handle.driver.deleteServer({ serverId: providerId }, options),
    );
    return { serverId: request.serverId, deleted: result.deleted };
  }

  /** In `request.region`, or the region of its zone (see cascading-volumes.ts). */
  createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume> {
    return createVolumeAcross({ ...this.#o, ids: this.#ids }, request, options);
  }

  /** In the region the id names; an id that routes nowhere is `{ deleted: false }`. */
  deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult> {
    return deleteVolumeRouted({ ...this.#o, ids: this.#ids }, request, options);
  }

  // In the volume's region; the snapshot id carries it (see cascading-snapshots.ts).
  readonly #snap = cascadingSnapshotCalls(() => ({ ...this.#o, ids: this.#ids }));
  readonly createSnapshot = this.#snap.createSnapshot;
  readonly getSnapshot = this.#snap.getSnapshot;
  readonly listSnapshots = this.#snap.listSnapshots;
  readonly deleteSnapshot = this.#snap.deleteSnapshot;

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = resolveCallOptions(options, this.#o.wait);
    const { handle, server, volume } = await this.#ids.routePair(request, call.signal);
    const region = handle.info.name;
    // The region's lock (shared with region(name) handles) and core's end together, when the
    // region's driver says Nova accepted the request.
    const attachment = await withServerLock(handle.mutex, server.providerId, options, (locked) =>
      inRegionCall(region, () =>
        handle.driver.attachVolume(
          { ...request, serverId: server.providerId, volumeId: volume.providerId },
          locked,
        ),
      ),
    );
    return inRegion.attachment(region, attachment);
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    const { handle, server, volume } = await this.#ids.routePair(request, call.signal);
    const region = handle.info.name;
    const result = await withServerLock(handle.mutex, server.providerId, options, (locked) =>
      inRegionCall(region, () =>
        handle.driver.detachVolume({ serverId: server.providerId, volumeId: volume.providerId }, locked),
      ),
    );
    return { ...result, volume: inRegion.volume(region, result.volume) };
  }

  readonly startServer: PowerCall<'startServer'> = (r, o) => this.#power('startServer', r, o);
  readonly stopServer: PowerCall<'stopServer'> = (r, o) => this.#power('stopServer', r, o);
  readonly rebootServer: PowerCall<'rebootServer'> = (r, o) => this.#power('rebootServer', r, o);

  readonly setVolumeMetadata: NonNullable<PlatformDriver['setVolumeMetadata']> = (r, o) =>
    volumeMetadataInRegion(this.#ids, r, o);
  readonly setServerMetadata: NonNullable<PlatformDriver['setServerMetadata']> = (r, o) =>
    serverMetadataInRegion(this.#ids, r, o);

  async #power(operation: PowerOperation, request: PowerRequest, options?: CallOptions): Promise<Server> {
    resolveCallOptions(options, this.#o.wait); // a bad wait option names its field before any request
    return powerInRegion(this.#ids, operation, request, options);
  }
}
