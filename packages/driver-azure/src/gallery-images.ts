import type { GalleryImage, GalleryImageVersion } from '@azure/arm-compute';
import type { Image, ImageStatus } from '@hybrid-broker/core';
import type { ArmAccess } from './arm-access.js';
import { collect } from './azure-lists.js';

const STATE: Readonly<Record<string, ImageStatus>> = {
  Succeeded: 'available',
  Creating: 'pending',
  Updating: 'pending',
  Migrating: 'pending',
  Failed: 'error',
};

/**
 * Every image version of an Azure Compute Gallery: one list of its image definitions, then
 * one of each definition's versions (ARM pages both with `nextLink`, which the SDK follows).
 * Each version is an image named `<definition>:<version>` whose id is the version's resource
 * id, which createServer takes as it is.
 */
export async function galleryImages(
  arm: ArmAccess,
  source: { readonly gallery: string; readonly resourceGroup?: string | undefined },
  signal: AbortSignal | undefined,
): Promise<Image[]> {
  const group = source.resourceGroup ?? arm.config.resourceGroup;
  const { galleryImages: definitions, galleryImageVersions: versions } = arm.clients.compute;
  const images = await arm.retry('listImages', signal, true, () =>
    collect<GalleryImage>(
      `listing the images of gallery ${source.gallery}`,
      definitions.listByGallery(group, source.gallery, { abortSignal: signal }),
    ),
  );
  const lists = await Promise.all(
    images.map(async (definition) => {
      const name = definition.name ?? '';
      const found = await arm.retry('listImages', signal, true, () =>
        collect<GalleryImageVersion>(
          `listing the versions of gallery image ${name}`,
          versions.listByGalleryImage(group, source.gallery, name, { abortSignal: signal }),
        ),
      );
      return found.map((v) => toImage(definition, v));
    }),
  );
  return lists.flat();
}

function toImage(definition: GalleryImage, version: GalleryImageVersion): Image {
  const providerStatus = version.provisioningState ?? 'unknown';
  const memoryGiB = definition.recommended?.memory?.min ?? 0;
  return {
    id: version.id ?? '',
    name: `${definition.name ?? ''}:${version.name ?? ''}`,
    status: STATE[providerStatus] ?? 'unavailable',
    providerStatus,
    minDiskGiB: version.storageProfile?.osDiskImage?.sizeInGB ?? 0,
    minRamMiB: memoryGiB * 1024,
  };
}
