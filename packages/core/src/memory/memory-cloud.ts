import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';
import { BrokerError } from '../errors.js';
import type { PowerOperation } from '../power-types.js';
import type { CreateServerRequest, Server, Volume, VolumeAttachment } from '../types.js';
import type { MemoryCloudOptions, MemoryCloudSnapshot, MemoryVolumeInput } from './memory-cloud-options.js';
import { pickHost } from './memory-placement.js';
import { changePower } from './memory-power-state.js';
import { attachedError, findServerByKey, newServerRecord, pickDevice } from './memory-records.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import {
  volumeGone as gone,
  type MemoryServerRecord,
  type MemoryVolumeRecord,
  toServer,
  toVolume,
} from './memory-state.js';

export type { MemoryCloudOptions, MemoryCloudSnapshot, MemoryVolumeInput } from './memory-cloud-options.js';
export type { MemoryPowerRecord } from './memory-power-state.js';
export type { MemoryAttachmentRecord, MemoryServerRecord, MemoryVolumeRecord } from './memory-state.js';

/**
 * The state of an in-process cloud: servers and volumes whose states derive
 * from timestamps (BUILD then ACTIVE, attaching then in-use, detaching then
 * available), test hooks for failures, and a snapshot/restore for a state
 * file. Each change is decided in one synchronous turn, as a cloud decides
 * atomically, so several drivers (replicas of a broker) may share one cloud.
 * Reads return copies; nothing outside changes the records but its methods.
 */
export class MemoryCloud {
  /** The options it was made with. */
  readonly options: MemoryCloudOptions;
  /** The clock its transitions run on. */
  readonly clock: Clock;
  /** Its volume snapshots. */
  readonly snapshots: MemorySnapshotStore;
  readonly #servers = new Map<string, MemoryServerRecord>();
  readonly #volumes = new Map<string, MemoryVolumeRecord>();
  readonly #pendingFaults: { operation: string; error: BrokerError }[] = [];
  #nextBuildFault: string | undefined;

  constructor(options: MemoryCloudOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.snapshots = new MemorySnapshotStore(this.clock);
  }

  /** A deep copy of every server and volume record. */
  snapshot(): MemoryCloudSnapshot {
    const state = { servers: [...this.#servers.values()], volumes: [...this.#volumes.values()] };
    return { ...structuredClone(state), snapshots: this.snapshots.records() };
  }

  /** Replaces the whole state with (a copy of) a snapshot. */
  restore(snapshot: MemoryCloudSnapshot): void {
    const copy = structuredClone(snapshot);
    this.#servers.clear();
    this.#volumes.clear();
    for (const server of copy.servers) this.#servers.set(server.id, server);
    for (const volume of copy.volumes) this.#volumes.set(volume.id, volume);
    this.snapshots.replace(copy.snapshots ?? []);
  }

  /** Test hook: adds a volume, `available`. */
  createVolume(input: MemoryVolumeInput = {}): Volume {
    const id = input.id ?? `vol-${randomUUID()}`;
    const record: MemoryVolumeRecord = {
      id,
      name: input.name ?? id,
      sizeGiB: input.sizeGiB ?? 1,
      availabilityZone: input.availabilityZone ?? this.defaultZone(),
      multiAttach: input.multiAttach ?? false,
      attachments: [],
      ...(input.metadata ? { metadata: { ...input.metadata } } : {}),
    };
    this.#volumes.set(id, record);
    return toVolume(record, this.clock.now());
  }

  /** Test hook: forces a volume's status (stuck in a transition, or `error`); undefined releases it. */
  setVolumeStatus(volumeId: string, status: Volume['status'] | undefined): void {
    this.#volumeRecord(volumeId).forcedStatus = status;
  }

  /** Test hook: the next call of `operation` fails with `error` before doing anything. */
  failNext(operation: string, error: BrokerError): void {
    this.#pendingFaults.push({ operation, error });
  }

  /** Test hook: the next server build ends in ERROR with this fault. */
  failNextBuild(fault: string): void {
    this.#nextBuildFault = fault;
  }

  /** The fault a test queued for `operation`, taken off the queue; undefined when none is. */
  takeFault(operation: string): BrokerError | undefined {
    const index = this.#pendingFaults.findIndex((f) => f.operation === operation);
    if (index < 0) return undefined;
    return this.#pendingFaults.splice(index, 1)[0]?.error;
  }

  /** The zone a create or volume without one goes to. */
  defaultZone(): string {
    return this.options.availabilityZones[0] ?? 'nova';
  }

  /** The live server an earlier create with `key` made, if any. */
  serverByKey(key: string): Server | undefined {
    const record = findServerByKey(this.#servers, key);
    return record && toServer(record, this.clock.now());
  }

  /** Places and starts building a server (the request is checked by the caller). */
  buildServer(request: CreateServerRequest, zone: string, key: string | undefined): Server {
    const host = pickHost(this.#servers.values(), this.options.hosts ?? 4, request.antiAffinityGroup);
    const fault = this.#nextBuildFault;
    this.#nextBuildFault = undefined;
    const now = this.clock.now();
    const record = newServerRecord(request, {
      host,
      zone,
      key,
      fault,
      now,
      buildMs: this.options.delays.buildMs,
    });
    this.#servers.set(record.id, record);
    return toServer(record, now);
  }

  /** The server now; a `not-found` once it is gone. */
  server(serverId: string): Server {
    const record = this.#servers.get(serverId);
    const now = this.clock.now();
    if (!record || (record.goneAt !== undefined && now >= record.goneAt)) {
      if (record) this.#servers.delete(record.id);
      throw new BrokerError('not-found', `server ${serverId} not found`, {
        providerCode: 'itemNotFound',
        statusCode: 404,
      });
    }
    return toServer(record, now);
  }

  /** Starts a start, stop or reboot, decided in this turn; refused (409) as Nova refuses it. */
  changePower(serverId: string, operation: PowerOperation): void {
    const record = this.#servers.get(serverId);
    if (!record)
      this.server(serverId); // its not-found
    else changePower(record, operation, this.clock.now(), this.options.delays.powerMs ?? 10);
  }

  /** Every server not yet gone. */
  liveServers(): Server[] {
    const now = this.clock.now();
    return [...this.#servers.values()]
      .filter((r) => r.goneAt === undefined || now < r.goneAt)
      .map((r) => toServer(r, now));
  }

  /** Starts deleting a server and detaching its volumes; false when it is already gone. */
  deleteServer(serverId: string): boolean {
    const record = this.#servers.get(serverId);
    if (!record || (record.goneAt !== undefined && this.clock.now() >= record.goneAt)) return false;
    if (record.deletingSince !== undefined) return true;
    record.deletingSince = this.clock.now();
    record.goneAt = this.clock.now() + this.options.delays.deleteMs;
    for (const volume of this.#volumes.values()) {
      for (const a of volume.attachments) {
        if (a.serverId === record.id && a.detachingSince === undefined) {
          a.detachingSince = record.deletingSince;
          a.detachedAt = record.goneAt;
        }
      }
    }
    return true;
  }

  /** The volume now; a `not-found` when there is none. */
  volume(volumeId: string): Volume {
    return toVolume(this.#volumeRecord(volumeId), this.clock.now());
  }

  /** Replaces a volume's or server's metadata at once (setVolumeMetadata, setServerMetadata); `not-found` when gone. */
  writeMetadata(kind: 'volume' | 'server', id: string, metadata: Record<string, string>): void {
    if (kind === 'volume') this.#volumeRecord(id).metadata = metadata;
    else {
      this.server(id); // its not-found once gone
      const record = this.#servers.get(id);
      if (record) record.metadata = metadata;
    }
  }

  /** Every volume now. */
  allVolumes(): Volume[] {
    const now = this.clock.now();
    return [...this.#volumes.values()].filter((r) => !gone(r, now)).map((r) => toVolume(r, now));
  }

  /** Stores a volume made by createVolume (checked and tagged by the caller), `creating` for a while. */
  makeVolume(record: Omit<MemoryVolumeRecord, 'id' | 'createdAt' | 'readyAt' | 'attachments'>): Volume {
    const now = this.clock.now();
    const delay = this.options.delays.createVolumeMs ?? this.options.delays.attachMs;
    const made = {
      ...record,
      id: `vol-${randomUUID()}`,
      attachments: [],
      createdAt: now,
      readyAt: now + delay,
    };
    this.#volumes.set(made.id, made);
    return toVolume(made, now);
  }

  /**
   * Starts deleting a volume; false when it is already gone. An attached one is
   * refused (`invalid-state` naming its holder), as every cloud refuses it.
   */
  deleteVolume(volumeId: string): boolean {
    const record = this.#volumes.get(volumeId);
    const now = this.clock.now();
    if (!record || gone(record, now)) return false;
    const holder = toVolume(record, now).attachments[0];
    if (holder) throw attachedError(volumeId, holder.serverId);
    refuseWithSnapshots(volumeId, this.snapshots);
    if (record.deletingSince === undefined) {
      record.deletingSince = now;
      record.goneAt = now + this.options.delays.deleteMs;
    }
    return true;
  }

  /** Starts an attachment (the caller decided it may be made, in this same turn). */
  attach(
    serverId: string,
    volumeId: string,
    device: string | undefined,
    readOnly: boolean,
  ): VolumeAttachment {
    const picked = pickDevice(this.#volumes, serverId, device);
    const id = `att-${randomUUID()}`;
    this.#volumeRecord(volumeId).attachments.push({
      id,
      serverId,
      device: picked,
      readOnly,
      attachedAt: this.clock.now() + this.options.delays.attachMs,
    });
    return { id, serverId, volumeId, device: picked, state: 'attaching', readOnly };
  }

  /** Starts a detach; a forced one takes the attachment away at once. */
  detach(volumeId: string, serverId: string, force: boolean): void {
    const record = this.#volumeRecord(volumeId);
    const attachment = record.attachments.find((a) => a.serverId === serverId);
    if (attachment && force) {
      // A forced detach takes the attachment away at once, whatever the stuck transition was.
      attachment.detachingSince ??= this.clock.now();
      attachment.detachedAt = this.clock.now();
      if (stuckInTransition(record)) record.forcedStatus = undefined;
    } else if (attachment && attachment.detachingSince === undefined && !stuckInTransition(record)) {
      // (a stuck transition, the test hook's `detaching`, never completes a plain detach)
      attachment.detachingSince = this.clock.now();
      attachment.detachedAt = this.clock.now() + this.options.delays.detachMs;
    }
  }

  #volumeRecord(volumeId: string): MemoryVolumeRecord {
    const record = this.#volumes.get(volumeId);
    if (!record || gone(record, this.clock.now()))
      throw new BrokerError('not-found', `volume ${volumeId} not found`, {
        providerCode: 'itemNotFound',
        statusCode: 404,
      });
    return record;
  }
}

/** The test hook holds the volume in a transition: no detach but a forced one completes. */
function stuckInTransition(record: MemoryVolumeRecord): boolean {
  return record.forcedStatus === 'detaching' || record.forcedStatus === 'attaching';
}

/** As Cinder refuses it: a volume with snapshots is `invalid-state` naming them. */
function refuseWithSnapshots(volumeId: string, store: MemorySnapshotStore): void {
  const named = store
    .all()
    .filter((s) => s.volumeId === volumeId)
    .map((s) => s.id);
  if (named.length > 0)
    throw new BrokerError(
      'invalid-state',
      `volume ${volumeId} has snapshots: ${named.join(', ')}; delete them first`,
      {
        statusCode: 400,
      },
    );
}
