import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { BrokerError } from '../errors.js';
import type { Snapshot } from '../snapshots/snapshot-types.js';

/** A snapshot as the memory cloud keeps it; its status derives from timestamps, as volumes' do. */
export interface MemorySnapshotRecord {
  readonly id: string;
  readonly volumeId: string;
  readonly name: string;
  readonly sizeGiB: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: number;
  /** `creating` until then. */
  readonly readyAt: number;
  /** Set by a delete: `deleting` until `goneAt`, then gone. */
  deletingSince?: number;
  goneAt?: number;
}

/** The memory cloud's snapshots: made, read and deleted each in one synchronous turn. */
export class MemorySnapshotStore {
  readonly #records = new Map<string, MemorySnapshotRecord>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Copies of every record, for the cloud's state file. */
  records(): MemorySnapshotRecord[] {
    return structuredClone([...this.#records.values()]);
  }

  /** Replaces every record (a restore of the state file). */
  replace(records: readonly MemorySnapshotRecord[]): void {
    this.#records.clear();
    for (const r of structuredClone(records)) this.#records.set(r.id, r);
  }

  /** Stores a new snapshot, `creating` for `delayMs`. */
  make(record: Omit<MemorySnapshotRecord, 'id' | 'createdAt' | 'readyAt'>, delayMs: number): Snapshot {
    const now = this.#clock.now();
    const made = { ...record, id: `snap-${randomUUID()}`, createdAt: now, readyAt: now + delayMs };
    this.#records.set(made.id, made);
    return toSnapshot(made, now);
  }

  /** The snapshot now; `not-found` once it is gone. */
  get(snapshotId: string): Snapshot {
    const record = this.#records.get(snapshotId);
    const now = this.#clock.now();
    if (!record || gone(record, now))
      throw new BrokerError('not-found', `snapshot ${snapshotId} not found`, {
        providerCode: 'itemNotFound',
        statusCode: 404,
      });
    return toSnapshot(record, now);
  }

  /** Every snapshot not yet gone. */
  all(): Snapshot[] {
    const now = this.#clock.now();
    return [...this.#records.values()].filter((r) => !gone(r, now)).map((r) => toSnapshot(r, now));
  }

  /** Starts deleting a snapshot; false when it is already gone. */
  delete(snapshotId: string, delayMs: number): boolean {
    const record = this.#records.get(snapshotId);
    const now = this.#clock.now();
    if (!record || gone(record, now)) return false;
    if (record.deletingSince === undefined) {
      record.deletingSince = now;
      record.goneAt = now + delayMs;
    }
    return true;
  }
}

function gone(record: MemorySnapshotRecord, now: number): boolean {
  return record.goneAt !== undefined && now >= record.goneAt;
}

function toSnapshot(record: MemorySnapshotRecord, now: number): Snapshot {
  const status =
    record.deletingSince !== undefined ? 'deleting' : now < record.readyAt ? 'creating' : 'available';
  return {
    id: record.id,
    volumeId: record.volumeId,
    name: record.name,
    sizeGiB: record.sizeGiB,
    status,
    progress: status === 'creating' ? 0 : 100,
    createdAt: new Date(record.createdAt).toISOString(),
    metadata: { ...record.metadata },
    providerStatus: status,
  };
}
