import { randomUUID } from 'node:crypto';
import { attachedTo, checkAttachable, detachedFrom, volumeSettled } from '../attach-rules.js';
import { type ResolvedCallOptions, type ResolvedWaitOptions, resolveCallOptions } from '../call-options.js';
import { type Clock, systemClock } from '../clock.js';
import type {
  CallOptions,
  DetachOptions,
  DriverCapabilities,
  PlatformDriver,
  ReadOptions,
} from '../driver.js';
import { runAttach } from '../engine/attach-engine.js';
import { runDetach } from '../engine/detach-engine.js';
import { abortedError, BrokerError } from '../errors.js';
import type { BrokerEventInput } from '../events.js';
import { planForcedDetach } from '../force-detach.js';
import { serverMatches, volumeMatches } from '../list-filters.js';
import { checkSameCreate, REQUEST_DIGEST_KEY } from '../request-digest.js';
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
import { verdict, waitFor } from '../waiter.js';
import { pickHost } from './memory-placement.js';
import { findServerByKey, IDEMPOTENCY_TAG, invalid, newServerRecord, pickDevice } from './memory-records.js';
import { type MemoryServerRecord, type MemoryVolumeRecord, toServer, toVolume } from './memory-state.js';

/** How the memory cloud behaves. */
export interface MemoryCloudOptions {
  readonly availabilityZones: readonly string[];
  readonly images: readonly string[];
  readonly flavors: readonly string[];
  /** How long each transition takes, in ms of the clock. */
  readonly delays: {
    readonly buildMs: number;
    readonly attachMs: number;
    readonly detachMs: number;
    readonly deleteMs: number;
  };
  /** Hosts servers are placed on (default 4); an anti-affinity group holds one member per host. */
  readonly hosts?: number;
  readonly clock?: Clock;
  readonly wait?: Partial<ResolvedWaitOptions>;
  readonly emit?: (event: BrokerEventInput) => void;
}

/**
 * An in-process cloud with realistic state transitions (BUILD then ACTIVE,
 * attaching then in-use, detaching then available) that take time, the AZ
 * rule, idempotent creates and test hooks for failures. The arbitrator's own
 * unit tests drive it through the same interface as a real cloud.
 */
export class MemoryDriver implements PlatformDriver {
  readonly kind = 'memory';
  readonly capabilities: DriverCapabilities = {
    idempotentCreate: true,
    readOnlyAttach: true,
    requestedDeviceHonoured: true,
    guestPaths: true,
    forceDetach: true,
    antiAffinity: true,
  };
  readonly servers = new Map<string, MemoryServerRecord>();
  readonly volumes = new Map<string, MemoryVolumeRecord>();
  readonly #clock: Clock;
  readonly #options: MemoryCloudOptions;
  readonly #pendingFaults: { operation: string; error: BrokerError }[] = [];
  #nextBuildFault: string | undefined;

  constructor(options: MemoryCloudOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Test hook: adds a volume, `available`. */
  createVolume(
    input: {
      id?: string;
      availabilityZone?: string;
      sizeGiB?: number;
      name?: string;
      multiAttach?: boolean;
      metadata?: Readonly<Record<string, string>>;
    } = {},
  ): Volume {
    const id = input.id ?? `vol-${randomUUID()}`;
    const record: MemoryVolumeRecord = {
      id,
      name: input.name ?? id,
      sizeGiB: input.sizeGiB ?? 1,
      availabilityZone: input.availabilityZone ?? this.#defaultZone(),
      multiAttach: input.multiAttach ?? false,
      attachments: [],
      ...(input.metadata ? { metadata: { ...input.metadata } } : {}),
    };
    this.volumes.set(id, record);
    return toVolume(record, this.#clock.now());
  }

  /** Test hook: forces a volume's status (stuck in a transition, or `error`); undefined releases it. */
  setVolumeStatus(volumeId: string, status: Volume['status'] | undefined): void {
    const record = this.#volumeRecord(volumeId);
    record.forcedStatus = status;
  }

  /** Test hook: the next call of `operation` fails with `error` before doing anything. */
  failNext(operation: string, error: BrokerError): void {
    this.#pendingFaults.push({ operation, error });
  }

  /** Test hook: the next server build ends in ERROR with this fault. */
  failNextBuild(fault: string): void {
    this.#nextBuildFault = fault;
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    const call = this.#begin('createServer', options);
    if (!this.#options.images.includes(request.image))
      throw invalid('image', `image "${request.image}" not found`);
    if (!this.#options.flavors.includes(request.flavor))
      throw invalid('flavor', `flavor "${request.flavor}" not found`);
    const zone = request.availabilityZone ?? this.#defaultZone();
    if (!this.#options.availabilityZones.includes(zone)) {
      throw invalid(
        'availabilityZone',
        `availability zone "${zone}" not found; known: ${this.#options.availabilityZones.join(', ')}`,
      );
    }
    const existing =
      call.idempotencyKey === undefined ? undefined : findServerByKey(this.servers, call.idempotencyKey);
    if (existing && call.idempotencyKey !== undefined)
      checkSameCreate(call.idempotencyKey, existing.metadata[REQUEST_DIGEST_KEY], request);
    const record = existing ?? this.#build(request, zone, call.idempotencyKey);
    if (call.wait === false) return toServer(record, this.#clock.now());
    return this.#wait(
      `server ${record.id} to be running`,
      call,
      () => this.getServer({ serverId: record.id }),
      (s) => s.providerStatus,
      (s) =>
        s.status === 'running'
          ? verdict.done
          : s.status === 'error'
            ? verdict.failed(s.fault ?? 'server went to ERROR')
            : verdict.pending,
    );
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    this.#checkAbort(options?.signal, 'getServer');
    const record = this.servers.get(request.serverId);
    const now = this.#clock.now();
    if (!record || (record.goneAt !== undefined && now >= record.goneAt)) {
      if (record) this.servers.delete(record.id);
      throw new BrokerError('not-found', `server ${request.serverId} not found`, {
        providerCode: 'itemNotFound',
        statusCode: 404,
      });
    }
    return toServer(record, now);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    this.#checkAbort(options?.signal, 'getVolume');
    return toVolume(this.#volumeRecord(request.volumeId), this.#clock.now());
  }

  async listServers(filter: ServerFilter = {}, options?: ReadOptions): Promise<readonly Server[]> {
    this.#checkAbort(options?.signal, 'listServers');
    const now = this.#clock.now();
    return [...this.servers.values()]
      .filter((r) => r.goneAt === undefined || now < r.goneAt)
      .filter((r) => serverMatches(toServer(r, now), filter, r.metadata[IDEMPOTENCY_TAG]))
      .map((r) => toServer(r, now));
  }

  async listVolumes(filter: VolumeFilter = {}, options?: ReadOptions): Promise<readonly Volume[]> {
    this.#checkAbort(options?.signal, 'listVolumes');
    const now = this.#clock.now();
    return [...this.volumes.values()].map((r) => toVolume(r, now)).filter((v) => volumeMatches(v, filter));
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    const call = this.#begin('attachVolume', options);
    // Decided on a snapshot taken in the same turn as the change, as a cloud decides atomically:
    // a second broker on this cloud sees the first one's attachment, never a stale "available".
    const snapshot = (): Volume => toVolume(this.#volumeRecord(request.volumeId), this.#clock.now());
    const settle = () => this.#settle(call, request);
    return runAttach(
      {
        read: async () => {
          const server = await this.getServer(request);
          await this.getVolume(request);
          return { server, volume: snapshot(), raw: undefined };
        },
        plan: ({ server }) => checkAttachable(server, snapshot()),
        send: async ({ server, volume }) => this.#sendAttach(request, server.id, volume.id),
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

  #sendAttach(request: AttachVolumeRequest, serverId: string, volumeId: string): VolumeAttachment {
    const device = pickDevice(this.volumes, serverId, request.device);
    const id = `att-${randomUUID()}`;
    const readOnly = request.readOnly ?? false;
    this.#volumeRecord(volumeId).attachments.push({
      id,
      serverId,
      device,
      readOnly,
      attachedAt: this.#clock.now() + this.#options.delays.attachMs,
    });
    return { id, serverId, volumeId, device, state: 'attaching', readOnly };
  }

  async #attachWait(call: ResolvedCallOptions, pending: VolumeAttachment): Promise<VolumeAttachment> {
    const { serverId } = pending;
    const done = await this.#wait(
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
    return this.#wait(
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
    const snapshot = (): Volume => toVolume(this.#volumeRecord(request.volumeId), this.#clock.now());
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
          this.#sendDetach(request, force);
          return undefined;
        },
        unwaited: async () => snapshot(),
        waitDetached: () =>
          this.#wait(
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

  #sendDetach(request: DetachVolumeRequest, force: boolean): void {
    const record = this.#volumeRecord(request.volumeId);
    const attachment = record.attachments.find((a) => a.serverId === request.serverId);
    if (attachment && force) {
      // A forced detach takes the attachment away at once, whatever the stuck transition was.
      attachment.detachingSince ??= this.#clock.now();
      attachment.detachedAt = this.#clock.now();
      if (record.forcedStatus === 'detaching' || record.forcedStatus === 'attaching')
        record.forcedStatus = undefined;
    } else if (attachment && attachment.detachingSince === undefined && !stuckInTransition(record)) {
      // (a stuck transition, the test hook's `detaching`, never completes a plain detach)
      attachment.detachingSince = this.#clock.now();
      attachment.detachedAt = this.#clock.now() + this.#options.delays.detachMs;
    }
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    const call = this.#begin('deleteServer', options);
    const record = this.servers.get(request.serverId);
    if (!record || (record.goneAt !== undefined && this.#clock.now() >= record.goneAt))
      return { serverId: request.serverId, deleted: false };
    if (record.deletingSince === undefined) {
      record.deletingSince = this.#clock.now();
      record.goneAt = this.#clock.now() + this.#options.delays.deleteMs;
      for (const volume of this.volumes.values()) {
        for (const a of volume.attachments) {
          if (a.serverId === record.id && a.detachingSince === undefined) {
            a.detachingSince = record.deletingSince;
            a.detachedAt = record.goneAt;
          }
        }
      }
    }
    if (call.wait === false) return { serverId: record.id, deleted: true };
    await this.#wait(
      `server ${record.id} to be deleted`,
      call,
      async () => {
        try {
          return await this.getServer(request);
        } catch (error) {
          if (error instanceof BrokerError && error.code === 'not-found') return undefined;
          throw error;
        }
      },
      (s) => s?.providerStatus ?? 'gone',
      (s) => (s === undefined ? verdict.done : verdict.pending),
    );
    return { serverId: record.id, deleted: true };
  }

  #begin(operation: string, options: CallOptions | undefined): ResolvedCallOptions {
    this.#checkAbort(options?.signal, operation);
    const index = this.#pendingFaults.findIndex((f) => f.operation === operation);
    if (index >= 0) {
      const [fault] = this.#pendingFaults.splice(index, 1);
      if (fault) throw fault.error;
    }
    return resolveCallOptions(options, this.#options.wait);
  }

  #wait<T>(
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
      clock: this.#clock,
      ...(this.#options.emit ? { emit: this.#options.emit } : {}),
    });
  }

  #build(request: CreateServerRequest, zone: string, key: string | undefined): MemoryServerRecord {
    const host = pickHost(this.servers.values(), this.#options.hosts ?? 4, request.antiAffinityGroup);
    const fault = this.#nextBuildFault;
    this.#nextBuildFault = undefined;
    const record = newServerRecord(request, {
      host,
      zone,
      key,
      fault,
      now: this.#clock.now(),
      buildMs: this.#options.delays.buildMs,
    });
    this.servers.set(record.id, record);
    return record;
  }

  #volumeRecord(volumeId: string): MemoryVolumeRecord {
    const record = this.volumes.get(volumeId);
    if (!record)
      throw new BrokerError('not-found', `volume ${volumeId} not found`, {
        providerCode: 'itemNotFound',
        statusCode: 404,
      });
    return record;
  }

  #defaultZone(): string {
    return this.#options.availabilityZones[0] ?? 'nova';
  }

  #checkAbort(signal: AbortSignal | undefined, operation: string): void {
    if (signal?.aborted) throw abortedError(signal, operation);
  }
}

/** The test hook holds the volume in a transition: no detach but a forced one completes. */
function stuckInTransition(record: MemoryVolumeRecord): boolean {
  return record.forcedStatus === 'detaching' || record.forcedStatus === 'attaching';
}
