import { createHash, randomBytes } from 'node:crypto';
import type { CreationData, Disk } from '@azure/arm-compute';
import { BrokerError, type CreateVolumeRequest } from '@hybrid-broker/core';
import {
  AZURE_TAG_LIMITS,
  checkMetadataLimits,
  createVolumeDigest,
  REQUEST_DIGEST_KEY,
} from '@hybrid-broker/core/driver-kit';
import { type ArmScope, parseArmId } from './arm-ids.js';
import type { AzureDriverConfig } from './azure-config.js';
import { IDEMPOTENCY_TAG } from './resource-state.js';

/** The tag a created disk's `name` is kept in: the disk's ARM name comes from the key. */
export const DISK_NAME_TAG = 'Name';

/** The managed disk SKUs a PUT takes (`sku.name`). */
const DISK_SKUS: readonly string[] = [
  'Standard_LRS',
  'Premium_LRS',
  'StandardSSD_LRS',
  'UltraSSD_LRS',
  'Premium_ZRS',
  'StandardSSD_ZRS',
  'PremiumV2_LRS',
];

// Disk sizes ARM accepts for a managed disk: 1 GiB to 65 536 GiB (32 TiB past 4 TiB tiers, Ultra 64 TiB).
const MAX_DISK_GIB = 65_536;

/**
 * The ARM name of a keyed create's disk: `hb-vol-` and the first 32 hex of the
 * key's SHA-256. Every process derives the same name from the key, so a repeat,
 * or two replicas racing, PUT the same disk. Without a key, a random name (each
 * call a new disk, as Cinder and EC2 do without a token).
 */
export function diskNameFor(key: string | undefined): string {
  const hex =
    key === undefined
      ? randomBytes(16).toString('hex')
      : createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `hb-vol-${hex}`;
}

function refuse(field: string, why: string): BrokerError {
  return new BrokerError('invalid-request', `${field}: ${why}`, { field, retryable: false });
}

/** The checks ARM would answer with a 400, or the driver would misread, before anything is sent. */
export function checkDiskInput(request: CreateVolumeRequest): void {
  // Name, the key and the digest tags are the driver's: three of Azure's 50.
  checkMetadataLimits(request.metadata, AZURE_TAG_LIMITS, IDEMPOTENCY_TAG, 3);
  // Azure tag names compare case-insensitively: a caller's `name` would replace the Name tag.
  const own = Object.keys(request.metadata ?? {}).find(
    (k) => k.toLowerCase() === DISK_NAME_TAG.toLowerCase() || k.toLowerCase() === IDEMPOTENCY_TAG,
  );
  if (own !== undefined)
    throw refuse(`metadata.${own}`, "this tag is the driver's own (the volume name, or the key); set `name`");
  if (request.sizeGiB > MAX_DISK_GIB)
    throw refuse('sizeGiB', `Azure managed disks take at most ${MAX_DISK_GIB} GiB`);
  if (request.volumeType !== undefined && !DISK_SKUS.includes(request.volumeType))
    throw refuse('volumeType', `expected a managed disk SKU (${DISK_SKUS.join(', ')})`);
  if (request.fromSnapshotId !== undefined) {
    const parsed = parseArmId(request.fromSnapshotId);
    if (!parsed || `${parsed.provider}/${parsed.type}`.toLowerCase() !== 'microsoft.compute/snapshots')
      throw refuse('fromSnapshotId', 'expected a Microsoft.Compute/snapshots resource id');
  }
  if (request.fromImageId !== undefined)
    imageSourceOf(request.fromImageId, { location: '', scope: undefined });
}

/** Where a disk's image comes from: a gallery image version, or a platform (marketplace) image version. */
function imageSourceOf(
  image: string,
  where: { readonly location: string; readonly scope: ArmScope | undefined },
): Pick<CreationData, 'imageReference' | 'galleryImageReference'> {
  if (image.startsWith('/')) {
    return /\/galleries\//i.test(image)
      ? { galleryImageReference: { id: image } }
      : { imageReference: { id: image } };
  }
  const parts = image.split(':');
  const [publisher, offer, sku, version] = parts;
  if (parts.length !== 4 || parts.some((p) => p.length === 0))
    throw refuse(
      'fromImageId',
      'expected a marketplace URN (publisher:offer:sku:version) or an image version id',
    );
  // A disk's platform image reference names one version: `latest` is a VM create's alias only.
  if (version?.toLowerCase() === 'latest')
    throw refuse(
      'fromImageId',
      'a disk needs a concrete image version, not "latest" (listImages lists them)',
    );
  const sub = where.scope?.subscriptionId ?? '';
  return {
    imageReference: {
      id: `/Subscriptions/${sub}/Providers/Microsoft.Compute/Locations/${where.location}/Publishers/${publisher}/ArtifactTypes/VMImage/Offers/${offer}/Skus/${sku}/Versions/${version}`,
    },
  };
}

/** `creationData` of the PUT: Empty, Copy (a snapshot) or FromImage. */
function creationDataOf(request: CreateVolumeRequest, config: AzureDriverConfig): CreationData {
  if (request.fromSnapshotId !== undefined)
    return { createOption: 'Copy', sourceResourceId: request.fromSnapshotId };
  if (request.fromImageId !== undefined) {
    const scope = { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup };
    return {
      createOption: 'FromImage',
      ...imageSourceOf(request.fromImageId, { location: config.location, scope }),
    };
  }
  return { createOption: 'Empty' };
}

/** The body of the disk PUT: location, zone, SKU, size, source and tags (metadata, name, key, digest). */
export function diskBody(
  request: CreateVolumeRequest,
  config: AzureDriverConfig,
  key: string | undefined,
): Disk {
  const tags: Record<string, string> = {
    ...request.metadata,
    [DISK_NAME_TAG]: request.name,
    ...(key === undefined
      ? {}
      : { [IDEMPOTENCY_TAG]: key, [REQUEST_DIGEST_KEY]: createVolumeDigest(request) }),
  };
  return {
    location: config.location,
    zones: [request.availabilityZone],
    ...(request.volumeType === undefined ? {} : { sku: { name: request.volumeType } }),
    tags,
    creationData: creationDataOf(request, config),
    diskSizeGB: request.sizeGiB,
  };
}
