/**
 * The snapshot calls' requests and results (`createSnapshot`, `getSnapshot`, `listSnapshots`,
 * `deleteSnapshot`). In a file of their own so each part of the lifecycle has one.
 */

/** Where a snapshot is in its life, the same on every cloud. */
export type SnapshotStatus = 'creating' | 'available' | 'deleting' | 'error';

/** A point-in-time copy of a volume, normalized; `providerStatus` is the cloud's own state. */
export interface Snapshot {
  readonly id: string;
  /** The volume it was taken of (it may be gone since). */
  readonly volumeId: string;
  readonly name?: string;
  /** The size of the volume it copies, in GiB. */
  readonly sizeGiB: number;
  readonly status: SnapshotStatus;
  /** How far the copy is, 0-100, where the cloud says (Cinder, EC2). */
  readonly progress?: number;
  /** When the cloud created it (ISO 8601). */
  readonly createdAt: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** The cloud's own status word (Cinder `backing-up`, EC2 `pending`). */
  readonly providerStatus: string;
}

/** What a snapshot is taken of. */
export interface CreateSnapshotRequest {
  /** The volume to copy. */
  readonly volumeId: string;
  /** The snapshot's name (EC2 and Azure: its `Name` tag). */
  readonly name: string;
  /** Metadata or tags, within the cloud's limits (checked before anything is sent). */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * Snapshot a volume attached to a running server (Cinder's `force`): the copy is crash-consistent.
   * Without it Cinder refuses an in-use volume, and so does every driver (`invalid-state`). Default false.
   */
  readonly force?: boolean;
}

/** Names one snapshot. */
export interface SnapshotRef {
  readonly snapshotId: string;
}

/** Which snapshots `listSnapshots` returns; every field given must match. */
export interface SnapshotFilter {
  /** Only the snapshots of this volume. */
  readonly volumeId?: string;
  /** Only the snapshots carrying every one of these pairs. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The outcome of a snapshot delete. */
export interface DeleteSnapshotResult {
  readonly snapshotId: string;
  /** False when the snapshot was already gone: nothing was done. */
  readonly deleted: boolean;
}
