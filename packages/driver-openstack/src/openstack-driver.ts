import type {
  AttachVolumeRequest,
  BrokerEventInput,
  CallOptions,
  ChangeList,
  Clock,
  CreateServerRequest,
  CreateVolumeRequest,
  DeleteServerResult,
  DeleteVolumeResult,
  DetachOptions,
  DetachVolumeRequest,
  DetachVolumeResult,
  DriverCapabilities,
  Flavor,
  FlavorFilter,
  Image,
  ImageFilter,
  ListPage,
  PageOptions,
  PlatformDriver,
  PowerOperation,
  ReadOptions,
  RebootServerRequest,
  RetryPolicy,
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
  type PlatformScale,
  type ResolvedCallOptions,
  resolveCallOptions,
  serverRelease,
  verdict,
  type WaitSpec,
} from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from './cinder/cinder-client.js';
import { checkOpenStackId } from './common/openstack-ids.js';
import type { NovaClient } from './nova/nova-client.js';
import { OPENSTACK_CAPABILITIES } from './openstack-capabilities.js';
import { attachVolumeOn } from './operations/attach-volume.js';
import { microversionAtLeast, sendCreateServer, settleBuiltCreate } from './operations/create-server.js';
import { createVolumeOn } from './operations/create-volume.js';
import { deleteServerOn } from './operations/delete-server.js';
import { deleteVolumeOn } from './operations/delete-volume.js';
import { detachVolumeOn } from './operations/detach-volume.js';
import { forceDetachOn } from './operations/force-detach-volume.js';
import { setServerMetadataOn, setVolumeMetadataOn } from './operations/metadata.js';
import type { NameResolver } from './operations/name-resolver.js';
import { type CinderChangesState, serverChangesOf, volumeChangesOf } from './operations/openstack-changes.js';
import { listServersOf, listVolumesOf } from './operations/openstack-lists.js';
import { toServer, toVolume } from './operations/openstack-mapping.js';
import { type OpenStackOps, waitOn } from './operations/openstack-ops.js';
import { serversPageOf, volumesPageOf } from './operations/openstack-pages.js';
import { isNoValidHost, placementFailed } from './operations/placement-failure.js';
import { powerOn } from './operations/power.js';
import { type ResourceWatch, ScaledReads } from './operations/scaled-reads.js';
import { openStackSnapshotCalls } from './operations/snapshot-calls.js';

/** What an OpenStackDriver is made of: the service clients of one region and the runtime services. */
export interface OpenStackDriverOptions {
  readonly nova: NovaClient;
  readonly cinder: CinderClient;
  readonly names: NameResolver;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  /** Wait defaults of the platform. */
  readonly wait?: WaitOptions | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** Set on every result, for multi-region callers. */
  readonly region?: string | undefined;
  readonly novaMicroversion: string;
  /** "same" (default): cross-zone attaches are refused before Nova is asked; "cloud": Nova decides. */
  readonly availabilityZonePolicy?: 'same' | 'cloud' | undefined;
  /** Single flight, coalesced and adaptive polling (see ScaledReads); without it, plain GETs. */
  readonly scale?: PlatformScale | undefined;
}

export { OPENSTACK_CAPABILITIES } from './openstack-capabilities.js';

/**
 * PlatformDriver over Nova and Cinder of one region. Mutating calls wait
 * (by polling Nova or Cinder) until the change holds; an error status ends
 * a wait at once. Serialization per server, request validation and secret
 * scrubbing come from core's runtime wrapper.
 */
export class OpenStackDriver implements PlatformDriver {
  readonly kind: string = 'openstack';
  readonly capabilities: DriverCapabilities = OPENSTACK_CAPABILITIES;
  readonly #o: OpenStackDriverOptions;
  readonly #reads: ScaledReads;
  /** What the attach and detach operations use of this driver. */
  readonly #ops: OpenStackOps;
  readonly #cinderChanges: CinderChangesState = { supported: undefined };

  constructor(options: OpenStackDriverOptions) {
    this.#o = options;
    this.#reads = new ScaledReads(options.nova, options.cinder, options.scale);
    this.#ops = {
      ...options,
      reads: this.#reads,
      getServer: (request, readOptions) => this.getServer(request, readOptions),
      getVolume: (request, readOptions) => this.getVolume(request, readOptions),
    };
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = resolveCallOptions(options, this.#o.wait);
    const deps = {
      nova: this.#o.nova,
      names: this.#o.names,
      clock: this.#o.clock,
      emit: this.#o.emit,
      retry: this.#o.retry,
      networksRequired: microversionAtLeast(this.#o.novaMicroversion, 2, 37),
      microversion: this.#o.novaMicroversion,
    };
    const sent = await sendCreateServer(request, call, deps);
    if (call.wait === false) return this.getServer({ serverId: sent.id }, call);
    const built = await this.#build(sent.id, request.antiAffinityGroup, call);
    // a racer whose create Nova accepted after our first look is listed now (see settleBuiltCreate)
    const kept = await settleBuiltCreate(sent, request, call, deps);
    return kept === sent.id ? built : this.#waitBuilt(kept, call);
  }

  async #build(id: string, group: string | undefined, call: ResolvedCallOptions): Promise<Server> {
    if (group === undefined) return this.#waitBuilt(id, call);
    try {
      return await this.#waitBuilt(id, call);
    } catch (error) {
      if (!isNoValidHost(error)) throw error;
      return placementFailed(error, group, (serverId) => this.#o.nova.deleteServer(serverId, call.signal));
    }
  }

  #waitBuilt(id: string, call: ResolvedCallOptions): Promise<Server> {
    return this.#wait(call, 'build', this.#reads.watchServer(id), true, (watch) => ({
      description: `server ${id} to be ACTIVE`,
      probe: async (signal) => toServer(await watch.read(signal), this.#o.region),
      stateOf: (s) => s.providerStatus,
      check: (s) => {
        if (s.status === 'running') return verdict.done;
        if (s.status === 'error') return verdict.failed(s.fault ?? `server ${id} went to ERROR`);
        if (s.status === 'deleted') return verdict.failed(`server ${id} was deleted while building`);
        return verdict.pending;
      },
    }));
  }

  readonly #snap = openStackSnapshotCalls(() => ({
    ops: this.#ops,
    wait: this.#o.wait,
    retry: this.#o.retry,
  }));
  readonly createSnapshot = this.#snap.createSnapshot;
  readonly getSnapshot = this.#snap.getSnapshot;
  readonly listSnapshots = this.#snap.listSnapshots;
  readonly deleteSnapshot = this.#snap.deleteSnapshot;

  createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume> {
    return createVolumeOn(request, resolveCallOptions(options, this.#o.wait), {
      ops: this.#ops,
      retry: this.#o.retry,
    });
  }

  deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult> {
    return deleteVolumeOn(this.#ops, request, resolveCallOptions(options, this.#o.wait));
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    checkOpenStackId('server', request.serverId, 'serverId');
    return toServer(await this.#reads.readServer(request.serverId, options?.signal), this.#o.region);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    checkOpenStackId('volume', request.volumeId, 'volumeId');
    return toVolume(await this.#reads.readVolume(request.volumeId, options?.signal), this.#o.region);
  }

  listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    return listServersOf(this.#o.nova, filter, this.#o.region, options?.signal);
  }

  listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    return listVolumesOf(this.#o.cinder, filter, this.#o.region, options?.signal);
  }

  /** Nova's servers changed since `since` (`changes-since`), or all (see openstack-changes.ts). */
  listServerChanges(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Server>> {
    return serverChangesOf(this.#o.nova, this.#o.region, since, options?.signal);
  }

  /** Cinder's volumes changed since `since` (`updated_at=gt:` at 3.60), or all. */
  listVolumeChanges(since: string | undefined, options?: ReadOptions): Promise<ChangeList<Volume>> {
    return volumeChangesOf(this.#o.cinder, this.#cinderChanges, this.#o.region, since, options?.signal);
  }

  listServersPage(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>> {
    return serversPageOf(this.#o.nova, filter, this.#o.region, options);
  }

  listVolumesPage(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>> {
    return volumesPageOf(this.#o.cinder, filter, this.#o.region, options);
  }

  listImages(filter: ImageFilter = {}, options?: ReadOptions): Promise<readonly Image[]> {
    return this.#o.names.catalog.listImages(filter, this.#o.region, options?.signal);
  }

  listFlavors(filter: FlavorFilter = {}, options?: ReadOptions): Promise<readonly Flavor[]> {
    return this.#o.names.catalog.listFlavors(filter, this.#o.region, options?.signal);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = resolveCallOptions(options, this.#o.wait);
    // Nova reserves the device in the POST: once it is accepted, the next attach to the server may go.
    const sent = serverRelease(options);
    checkIds(request);
    return attachVolumeOn(this.#ops, request, call, sent);
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = resolveCallOptions(options, this.#o.wait);
    // Nova took the DELETE (or one was under way): the server's next attach or detach may go.
    const sent = serverRelease(options);
    checkIds(request);
    if (options?.force === true) return forceDetachOn(this.#ops, request, call, sent);
    return detachVolumeOn(this.#ops, request, call, sent);
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    return deleteServerOn(this.#ops, request, resolveCallOptions(options, this.#o.wait));
  }

  startServer(request: ServerRef, options?: CallOptions): Promise<Server> {
    return this.#power('startServer', request, options);
  }

  // Nova has one kind of stop: `deallocate` (Azure's) does not apply.
  stopServer(request: ServerRef, options?: CallOptions): Promise<Server> {
    return this.#power('stopServer', request, options);
  }

  rebootServer(request: RebootServerRequest, options?: CallOptions): Promise<Server> {
    return this.#power('rebootServer', request, options);
  }

  async #power(operation: PowerOperation, request: RebootServerRequest, options?: CallOptions) {
    const call = resolveCallOptions(options, this.#o.wait);
    checkOpenStackId('server', request.serverId, 'serverId');
    return powerOn(this.#ops, operation, request, call);
  }

  readonly setVolumeMetadata: NonNullable<PlatformDriver['setVolumeMetadata']> = (r, o) =>
    setVolumeMetadataOn(this.#ops, r, resolveCallOptions(o, this.#o.wait));
  readonly setServerMetadata: NonNullable<PlatformDriver['setServerMetadata']> = (r, o) =>
    setServerMetadataOn(this.#ops, r, resolveCallOptions(o, this.#o.wait));

  /** One wait of `operation` over `watch`'s reads (see waitOn). */
  #wait<T, V = unknown>(
    call: ResolvedCallOptions,
    operation: string,
    watch: ResourceWatch<V>,
    justSent: boolean,
    build: (watch: ResourceWatch<V>) => Pick<WaitSpec<T>, 'description' | 'probe' | 'stateOf' | 'check'>,
  ): Promise<T> {
    return waitOn(this.#ops, call, operation, watch, justSent, build);
  }
}

/** Both ids of an attach or detach, checked before either read is sent. */
function checkIds(request: ServerRef & VolumeRef): void {
  checkOpenStackId('server', request.serverId, 'serverId');
  checkOpenStackId('volume', request.volumeId, 'volumeId');
}
