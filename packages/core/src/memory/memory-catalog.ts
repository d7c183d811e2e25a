import { z } from 'zod';
import { flavorMatches, imageMatches } from '../catalog/catalog-filters.js';
import { pickCatalogEntry } from '../catalog/catalog-names.js';
import type { Flavor, FlavorFilter, Image, ImageFilter } from '../catalog/catalog-types.js';
import { IMAGE_STATUSES } from '../catalog/catalog-types.js';
import type { CreateServerRequest } from '../types.js';

/** An image of the memory cloud: a name alone (its id too), or every field. */
export type MemoryImageInput =
  | string
  | {
      readonly id?: string;
      readonly name: string;
      readonly status?: Image['status'];
      readonly minDiskGiB?: number;
      readonly minRamMiB?: number;
    };

/** A flavor of the memory cloud: a name alone (its id too; 1 vCPU, 2048 MiB, 20 GiB), or every field. */
export type MemoryFlavorInput =
  | string
  | {
      readonly id?: string;
      readonly name: string;
      readonly vcpus?: number;
      readonly ramMiB?: number;
      readonly diskGiB?: number;
    };

const size = z.number().int().nonnegative();

/** The config schema of one memory image. */
export const memoryImageSchema = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    status: z.enum(IMAGE_STATUSES).optional(),
    minDiskGiB: size.optional(),
    minRamMiB: size.optional(),
  }),
]);

/** The config schema of one memory flavor. */
export const memoryFlavorSchema = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    vcpus: z.number().int().positive().optional(),
    ramMiB: z.number().int().positive().optional(),
    diskGiB: size.optional(),
  }),
]);

/** The memory cloud's images, normalized and filtered. */
export function memoryImages(inputs: readonly MemoryImageInput[], filter: ImageFilter): Image[] {
  return inputs.map(toImage).filter((i) => imageMatches(i, filter));
}

/** The memory cloud's flavors, normalized and filtered. */
export function memoryFlavors(inputs: readonly MemoryFlavorInput[], filter: FlavorFilter): Flavor[] {
  return inputs.map(toFlavor).filter((f) => flavorMatches(f, filter));
}

function toImage(input: MemoryImageInput): Image {
  const i = typeof input === 'string' ? { name: input } : input;
  const status = i.status ?? 'available';
  return {
    id: i.id ?? i.name,
    name: i.name,
    status,
    providerStatus: status,
    minDiskGiB: i.minDiskGiB ?? 0,
    minRamMiB: i.minRamMiB ?? 0,
  };
}

function toFlavor(input: MemoryFlavorInput): Flavor {
  const f = typeof input === 'string' ? { name: input } : input;
  return {
    id: f.id ?? f.name,
    name: f.name,
    vcpus: f.vcpus ?? 1,
    ramMiB: f.ramMiB ?? 2048,
    diskGiB: f.diskGiB ?? 20,
  };
}

/** `request` with its image and flavor resolved to ids by core's one rule (pickCatalogEntry). */
export function resolveMemoryNames(
  cloud: { readonly images: readonly MemoryImageInput[]; readonly flavors: readonly MemoryFlavorInput[] },
  request: CreateServerRequest,
): CreateServerRequest {
  const image = pickCatalogEntry('image', request.image, memoryImages(cloud.images, {}));
  const flavor = pickCatalogEntry('flavor', request.flavor, memoryFlavors(cloud.flavors, {}));
  return { ...request, image, flavor };
}
