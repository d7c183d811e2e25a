/**
 * The requests and results of the volume lifecycle (`createVolume`, `deleteVolume`).
 * Kept beside types.ts so each part of the lifecycle has its own file.
 */

/** What a new volume is made of. */
export interface CreateVolumeRequest {
  /** Volume name (EC2: the `Name` tag; Azure: the disk's `Name` tag, the disk name comes from the key). */
  readonly name: string;
  /** Size in GiB, a whole number. With `fromSnapshotId` or `fromImageId` at least the source's size. */
  readonly sizeGiB: number;
  /** The zone the volume lives in; servers that attach it must be in the same one. */
  readonly availabilityZone: string;
  /** Region, for drivers that span regions (cascading); else it comes from the zone. */
  readonly region?: string;
  /** The cloud's volume type (Cinder type name, EBS `gp3`, Azure SKU `Premium_LRS`). */
  readonly volumeType?: string;
  /** Make it from this snapshot (capability `volumeFromSnapshot`). At most one source. */
  readonly fromSnapshotId?: string;
  /** Make it from this image (capability `volumeFromImage`). At most one source. */
  readonly fromImageId?: string;
  /** Metadata or tags, within the cloud's limits (checked before anything is sent). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The outcome of a volume delete. */
export interface DeleteVolumeResult {
  readonly volumeId: string;
  /** False when the volume was already gone: nothing was done. */
  readonly deleted: boolean;
}
