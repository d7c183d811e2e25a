import type { ResolvedCallOptions } from '../call-options.js';
import { isBrokerError } from '../errors.js';
import { checkMetadataLimits, OPENSTACK_METADATA_LIMITS } from '../metadata-limits.js';
import { REQUEST_DIGEST_KEY } from '../request-digest.js';
import type { Volume, VolumeRef } from '../types.js';
import { checkSameVolumeCreate, createVolumeDigest } from '../volume-digest.js';
import type { CreateVolumeRequest, DeleteVolumeResult } from '../volume-types.js';
import { verdict, type WaitVerdict } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';
import { IDEMPOTENCY_TAG, invalid } from './memory-records.js';

/** How the volume operations wait: the driver's own `waitFor` over a volume read. */
export type MemoryVolumeWait = (
  description: string,
  call: ResolvedCallOptions,
  probe: () => Promise<Volume | undefined>,
  stateOf: (value: Volume | undefined) => string,
  check: (value: Volume | undefined) => WaitVerdict,
) => Promise<Volume | undefined>;

/** A volume's state in wait events; `gone` once deleted. */
const volumeState = (v: Volume | undefined): string => v?.status ?? 'gone';

/** The volume the memory cloud made for `key`, if any (a deleting one does not count). */
function volumeByKey(cloud: MemoryCloud, key: string): Volume | undefined {
  return cloud.allVolumes().find((v) => v.metadata?.[IDEMPOTENCY_TAG] === key && v.status !== 'deleting');
}

function checkCreate(cloud: MemoryCloud, request: CreateVolumeRequest): void {
  const { availabilityZones, images } = cloud.options;
  const types = cloud.options.volumeTypes ?? ['standard'];
  if (!availabilityZones.includes(request.availabilityZone)) {
    throw invalid(
      'availabilityZone',
      `availability zone "${request.availabilityZone}" not found; known: ${availabilityZones.join(', ')}`,
    );
  }
  if (request.volumeType !== undefined && !types.includes(request.volumeType))
    throw invalid('volumeType', `volume type "${request.volumeType}" not found; known: ${types.join(', ')}`);
  if (request.fromImageId !== undefined && !images.includes(request.fromImageId))
    throw invalid('fromImageId', `image "${request.fromImageId}" not found`);
  checkMetadataLimits(request.metadata, OPENSTACK_METADATA_LIMITS, IDEMPOTENCY_TAG);
  if (request.fromSnapshotId !== undefined) checkSnapshotSource(cloud, request);
}

/** As Cinder checks it: the snapshot exists, is available, and is no bigger than the volume. */
function checkSnapshotSource(cloud: MemoryCloud, request: CreateVolumeRequest): void {
  const all = cloud.snapshots.all();
  const source = all.find((s) => s.id === request.fromSnapshotId);
  if (source === undefined) throw invalid('fromSnapshotId', `snapshot "${request.fromSnapshotId}" not found`);
  if (source.status !== 'available')
    throw invalid('fromSnapshotId', `snapshot ${source.id} is ${source.status}, not available`);
  if (request.sizeGiB < source.sizeGiB)
    throw invalid('sizeGiB', `expected at least the snapshot's ${source.sizeGiB} GiB`);
}

/**
 * Makes a volume (or finds the key's) and waits until it is available. The
 * memory cloud decides in one turn, so two replicas with one key never both make one.
 */
export async function createMemoryVolume(
  cloud: MemoryCloud,
  request: CreateVolumeRequest,
  call: ResolvedCallOptions,
  wait: MemoryVolumeWait,
): Promise<Volume> {
  checkCreate(cloud, request);
  const key = call.idempotencyKey;
  const existing = key === undefined ? undefined : volumeByKey(cloud, key);
  if (existing && key !== undefined)
    checkSameVolumeCreate(key, existing.metadata?.[REQUEST_DIGEST_KEY], request);
  const volume =
    existing ??
    cloud.makeVolume({
      name: request.name,
      sizeGiB: request.sizeGiB,
      availabilityZone: request.availabilityZone,
      multiAttach: false,
      metadata: {
        ...request.metadata,
        ...(key === undefined
          ? {}
          : { [IDEMPOTENCY_TAG]: key, [REQUEST_DIGEST_KEY]: createVolumeDigest(request) }),
      },
      volumeType: request.volumeType ?? 'standard',
    });
  if (call.wait === false) return volume;
  const done = await wait(
    `volume ${volume.id} to be available`,
    call,
    () => readVolume(cloud, volume.id),
    volumeState,
    (v) =>
      v === undefined
        ? verdict.failed(`volume ${volume.id} was deleted while it was made`)
        : v.status === 'creating'
          ? verdict.pending
          : verdict.done,
  );
  return done as Volume;
}

/** Deletes a volume and waits until it is gone; a missing one is `{ deleted: false }`. */
export async function deleteMemoryVolume(
  cloud: MemoryCloud,
  { volumeId }: VolumeRef,
  call: ResolvedCallOptions,
  wait: MemoryVolumeWait,
): Promise<DeleteVolumeResult> {
  if (!cloud.deleteVolume(volumeId)) return { volumeId, deleted: false };
  if (call.wait === false) return { volumeId, deleted: true };
  await wait(
    `volume ${volumeId} to be deleted`,
    call,
    () => readVolume(cloud, volumeId),
    volumeState,
    (v) => (v === undefined ? verdict.done : verdict.pending),
  );
  return { volumeId, deleted: true };
}

/** The volume now, or undefined once it is gone. */
async function readVolume(cloud: MemoryCloud, volumeId: string): Promise<Volume | undefined> {
  try {
    return cloud.volume(volumeId);
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}
