import { checkSameDigest, digestOfFields } from './request-digest.js';
import type { CreateVolumeRequest } from './volume-types.js';

/**
 * The fields that define a createVolume request, as strings (only those given).
 * `region` is left out, as for createServer: the cascading driver routes by it.
 */
function createVolumeFields(request: CreateVolumeRequest): Record<string, string> {
  const out: Record<string, string> = {
    name: request.name,
    sizeGiB: String(request.sizeGiB),
    availabilityZone: request.availabilityZone,
  };
  if (request.volumeType !== undefined) out.volumeType = request.volumeType;
  if (request.fromSnapshotId !== undefined) out.fromSnapshotId = request.fromSnapshotId;
  if (request.fromImageId !== undefined) out.fromImageId = request.fromImageId;
  if (request.metadata !== undefined) {
    // in key order: the same pairs given in another order are the same request
    out.metadata = JSON.stringify(Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return out;
}

/** The digest of a createVolume request, stored beside the key marker under `REQUEST_DIGEST_KEY`. */
export function createVolumeDigest(request: CreateVolumeRequest): string {
  return digestOfFields(createVolumeFields(request));
}

/**
 * Refuses a createVolume that reuses `key` for a different request: `conflict`
 * naming the key and the fields that differ (see `checkSameCreate`).
 */
export function checkSameVolumeCreate(
  key: string,
  stored: string | undefined,
  request: CreateVolumeRequest,
): void {
  checkSameDigest(key, stored, createVolumeDigest(request), 'createVolume');
}
