import { attachedTo, checkAttachable, detachedFrom, volumeSettled } from '../attach-rules.js';
import { type ResolvedCallOptions, type ResolvedWaitOptions, resolveCallOptions } from '../call-options.js';
import type { Flavor, FlavorFilter, Image, ImageFilter } from '../catalog/catalog-types.js';
import type {
  CallOptions,
  DetachOptions,
  DriverCapabilities,
  PlatformDriver,
  PowerCall,
  ReadOptions,
} from '../driver.js';
import { runAttach } from '../engine/attach-engine.js';
import { runDetach } from '../engine/detach-engine.js';
import { abortedError, type BrokerError } from '../errors.js';
import type { BrokerEventInput } from '../events.js';
import { planForcedDetach } from '../force-detach.js';
import { serverMatches, volumeMatches } from '../list-filters.js';
import type { ListPage, PageOptions } from '../list-paging.js';
import type { PowerOperation } from '../power-types.js';
import type {
  AttachVolumeRequest,
  CreateServerRequest,
  DeleteServerResult,
  DetachVolumeRequest,
  DetachVolumeResult,
  Server,
  ServerFilter,
  ServerRef,
  Volume,
  VolumeAttachment,
  VolumeFilter,
  VolumeRef,
} from '../types.js';
import type { CreateVolumeRequest, DeleteVolumeResult } from '../volume-types.js';
import { waitFor } from '../waiter.js';
import { MEMORY_CAPABILITIES } from './memory-capabilities.js';
import { memoryFlavors, memoryImages } from './memory-catalog.js';
import { MemoryCloud, type MemoryCloudOptions, type MemoryVolumeInput } from './memory-cloud.js';
import { createMemoryServer } from './memory-create-server.js';
import { deleteMemoryServer } from './memory-delete-server.js';
import { memoryMetadata } from './memory-metadata.js';
import { pageOf } from './memory-pages.js';
import { memoryPower } from './memory-power.js';
import { IDEMPOTENCY_TAG } from './memory-records.js';
import { memorySnapshotCalls } from './memory-snapshot-ops.js';
import { createMemoryVolume, deleteMemoryVolume, type MemoryVolumeWait } from './memory-volume-ops.js';

/** What a driver over a shared {@link MemoryCloud} is given of its own. */
export interface MemoryDriverOptions {
  readonly wait?: Partial<ResolvedWaitOptions>;
  readonly emit?: (event: BrokerEventInput) => void;
}

/**
 * The driver over a {@link MemoryCloud}: an in-process cloud with realistic
 * state transitions that take time, the AZ rule, idempotent creates and test
 * hooks for failures. The arbitrator's own unit tests drive it through the
 * same interface as a real cloud; two drivers over one cloud act as two
 * broker replicas.
 */
export class MemoryDriver implements PlatformDriver {
  readonly kind = 'memory';
  readonly capabilities: DriverCapabilities = MEMORY_CAPABILITIES;
  /** The cloud this driver talks to; other drivers may share it. */
  readonly cloud: MemoryCloud;
  readonly #waitOptions: Partial<ResolvedWaitOptions> | undefined;
  readonly #emit: ((event: BrokerEventInput) => void) | undefined;

  /**
   * Over a shared cloud (`new MemoryDriver(cloud, { wait, emit })`), or over a
   * cloud of its own made from the options, as before the cloud was split out.
   */
  constructor(source: MemoryCloud | MemoryCloudOptions, driverOptions: MemoryDriverOptions = {}) {
    this.cloud = source instanceof MemoryCloud ? source : new MemoryCloud(source);
    const fromOptions: MemoryDriverOptions = source instanceof MemoryCloud ? {} : source;
    this.#waitOptions = driverOptions.wait ?? fromOptions.wait;
    this.#emit = driverOptions.emit ?? fromOptions.emit;
  }

  /** Test hook: adds a volume, `available` (see {@link MemoryCloud.createVolume}). */
  seedVolume(input: MemoryVolumeInput = {}): Volume {
    return this.cloud.createVolume(input);
  }

  /** Test hook: forces a volume's status (stuck in a transition, or `error`); undefined releases it. */
  setVolumeStatus(volumeId: string, status: Volume['status'] | undefined): void {
    this.cloud.setVolumeStatus(volumeId, status);
  }

  /** Test hook: the next call of `operation` fails with `error` before doing anything. */
  failNext(operation: string, error: BrokerError): void {
    this.cloud.failNext(operation, error);
  }

  /** Test hook: the next server build ends in ERROR with this fault. */
  failNextBuild(fault: string): void {
    this.cloud.failNextBuild(fault);
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = this.#begin('createServer', options);
    return createMemoryServer(this.cloud, request, call, (...wait) => this.#waitFor(...wait));
  }

  async createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume> {
    return createMemoryVolume(this.cloud, request, this.#begin('createVolume', options), this.#volumeWait);
  }

  async deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult> {
    return deleteMemoryVolume(this.cloud, request, this.#begin('deleteVolume', options), this.#volumeWait);
  }

  readonly #volumeWait: MemoryVolumeWait = (...wait) => this.#waitFor(...wait);
  readonly #snap = memorySnapshotCalls({
    cloud: () => this.cloud,
    begin: (op, o) => this.#begin(op, o),
    wait: (...w) => this.#waitFor(...w),
  });
  readonly createSnapshot = this.#snap.createSnapshot;
  readonly getSnapshot = this.#snap.getSnapshot;
  readonly listSnapshots = this.#snap.listSnapshots;
  readonly deleteSnapshot = this.#snap.deleteSnapshot;

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    this.#checkAbort(options?.signal, 'getServer');
    return this.cloud.server(request.serverId);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    this.#checkAbort(options?.signal, 'getVolume');
    return this.cloud.volume(request.volumeId);
  }

  async listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    this.#checkAbort(options?.signal, 'listServers');
    return this.cloud.liveServers().filter((s) => serverMatches(s, filter, s.metadata[IDEMPOTENCY_TAG]));
  }

  async listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    this.#checkAbort(options?.signal, 'listVolumes');
    return this.cloud.allVolumes().filter((v) => volumeMatches(v, filter));
  }

  async listServersPage(filter: ServerFilter, options: PageOptions): Promise<ListPage<Server>> {
    return pageOf(await this.listServers(filter, options), options);
  }

  async listVolumesPage(filter: VolumeFilter, options: PageOptions): Promise<ListPage<Volume>> {
    return pageOf(await this.listVolumes(filter, options), options);
  }

  async listImages(filter: ImageFilter = {}, options?: ReadOptions): Promise<readonly Image[]> {
    this.#checkAbort(options?.signal, 'listImages');
    return memoryImages(this.cloud.options.images, filter);
  }

  async listFlavors(filter: FlavorFilter = {}, options?: ReadOptions): Promise<readonly Flavor[]> {
    this.#checkAbort(options?.signal, 'listFlavors');
    return memoryFlavors(this.cloud.options.flavors, filter);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = this.#begin('attachVolume', options);
    // Decided on a snapshot taken in the same turn as the change, as a cloud decides atomically:
    // a second broker on this cloud sees the first one's attachment, never a stale "available".
    const snapshot = (): Volume => this.cloud.volume(request.volumeId);
    const settle = () => this.#settle(call, request);
    return runAttach(
      {
        read: async () => {
          const server = await this.getServer(request);
          await this.getVolume(request);
          return { server, volume: snapshot(), raw: undefined };
        },
        plan: ({ server }) => checkAttachable(server, snapshot()),
        send: async ({ server, volume }) =>
          this.cloud.attach(server.id, volume.id, request.device, request.readOnly ?? false),
        // The memory cloud decides in the turn of the send: it never refuses a race.
        isRefusal: () => false,
        reread: () => this.getVolume(request),
        waitAttached: (pending) => this.#attachWait(call, pending),
        settle,
      },
      call,
      // No lock to release early: the memory cloud takes no device reservation.
      () => {},
    );
  }

  async #attachWait(call: ResolvedCallOptions, pending: VolumeAttachment): Promise<VolumeAttachment> {
    const { serverId } = pending;
    const done = await this.#waitFor(
      `volume ${pending.volumeId} to be in-use on server ${serverId}`,
      call,
      () => this.getVolume({ volumeId: pending.volumeId }),
      (v) => v.status,
      attachedTo(serverId),
    );
    // gone again: a detach that raced this attach took it away (see attachedTo)
    return done.attachments.find((a) => a.serverId === serverId) ?? { ...pending, state: 'detached' };
  }

  /** Waits until the volume is out of every transition (an attach or detach another caller sent). */
  async #settle(call: ResolvedCallOptions, request: VolumeRef): Promise<Volume> {
    return this.#waitFor(
      `volume ${request.volumeId} to settle`,
      call,
      () => this.getVolume(request),
      (v) => v.status,
      volumeSettled,
    );
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    const call = this.#begin('detachVolume', options);
    const force = options?.force === true;
    const snapshot = (): Volume => this.cloud.volume(request.volumeId);
    return runDetach<Volume>(
      {
        read: async () => {
          await this.getServer(request);
          return snapshot();
        },
        view: (volume) => volume,
        plan: (volume) => planForcedDetach(request.serverId, volume, force),
        settle: async () => {
          await this.#settle(call, request);
          return snapshot();
        },
        send: async () => {
          this.cloud.detach(request.volumeId, request.serverId, force);
          return undefined;
        },
        unwaited: async () => snapshot(),
        waitDetached: () =>
          this.#waitFor(
            `volume ${request.volumeId} to be detached from server ${request.serverId}`,
            call,
            () => this.getVolume(request),
            (v) => v.status,
            detachedFrom(request.serverId),
          ),
      },
      call,
      // No lock to release early (see attachVolume).
      () => {},
    );
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    return deleteMemoryServer(this.cloud, request, this.#begin('deleteServer', options), (...w) =>
      this.#waitFor(...w),
    );
  }

  readonly startServer: PowerCall<'startServer'> = (r, o) => this.#power('startServer', r, o);
  readonly stopServer: PowerCall<'stopServer'> = (r, o) => this.#power('stopServer', r, o);
  readonly rebootServer: PowerCall<'rebootServer'> = (r, o) => this.#power('rebootServer', r, o);

  readonly setVolumeMetadata: NonNullable<PlatformDriver['setVolumeMetadata']> = (r, o) =>
    memoryMetadata(this.cloud, r, this.#begin('setVolumeMetadata', o), this.#emit) as Promise<Volume>;
  readonly setServerMetadata: NonNullable<PlatformDriver['setServerMetadata']> = (r, o) =>
    memoryMetadata(this.cloud, r, this.#begin('setServerMetadata', o), this.#emit) as Promise<Server>;

  #power(op: PowerOperation, r: ServerRef, o?: CallOptions): Promise<Server> {
    return memoryPower(this.cloud, op, r.serverId, this.#begin(op, o), this.#emit);
  }

  #begin(operation: string, options: CallOptions | undefined): ResolvedCallOptions {
    this.#checkAbort(options?.signal, operation);
    const fault = this.cloud.takeFault(operation);
    if (fault) throw fault;
    return resolveCallOptions(options, this.#waitOptions);
  }

  #waitFor<T>(
    description: string,
    call: ResolvedCallOptions,
    probe: () => Promise<T>,
    stateOf: (v: T) => string,
    check: Parameters<typeof waitFor<T>>[0]['check'],
  ): Promise<T> {
    if (call.wait === false) throw new Error('unreachable: wait disabled');
    return waitFor({
      description,
      probe,
      check,
      stateOf,
      options: call.wait,
      signal: call.signal,
      clock: this.cloud.clock,
      ...(this.#emit ? { emit: this.#emit } : {}),
    });
  }

  #checkAbort(signal: AbortSignal | undefined, operation: string): void {
    if (signal?.aborted) throw abortedError(signal, operation);
  }
}
