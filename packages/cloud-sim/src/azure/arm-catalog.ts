import type { RouteTable } from '../route-table.js';
import type { ArmCloud } from './arm-cloud.js';
import { ArmError } from './arm-model.js';

/** What `vmSizes` says of the sizes the emulation knows: cores, memory MB, temporary disk MB. */
const SIZE_SPECS: Readonly<Record<string, readonly [number, number, number]>> = {
  Standard_B1s: [1, 1024, 4096],
  Standard_B2s: [2, 4096, 8192],
  Standard_D2s_v5: [2, 8192, 0],
  Standard_D4s_v5: [4, 16384, 0],
};

/** The marketplace the emulation offers: publisher → offer → sku → versions, oldest first. */
const MARKETPLACE: Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>>
> = {
  canonical: {
    '0001-com-ubuntu-server-jammy': {
      '22_04-lts-gen2': ['22.04.202401090', '22.04.202402140'],
      '22_04-lts': ['22.04.202402140'],
    },
  },
};

/** The compute gallery the emulation offers in every resource group: image definition → versions. */
const GALLERY_NAME = 'sg-gallery';
const GALLERY: Readonly<Record<string, readonly string[]>> = {
  'sg-server': ['1.0.0', '1.1.0'],
  'sg-client': ['1.0.0'],
};

const LOCATION = '/subscriptions/{sub}/providers/Microsoft.Compute/locations/{location}';
const GALLERY_PATH =
  '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{gallery}';
const SKUS = `${LOCATION}/publishers/{publisher}/artifacttypes/vmimage/offers/{offer}/skus`;

/** ARM names are case-insensitive: the offer's skus, or `ArtifactNotFound`. */
function skusOf(publisher: string, offer: string): Readonly<Record<string, readonly string[]>> {
  const offers = MARKETPLACE[publisher.toLowerCase()];
  const skus = offers?.[offer.toLowerCase()];
  if (skus === undefined) {
    throw new ArmError(404, 'ArtifactNotFound', `Artifact: VMImage was not found (${publisher}/${offer}).`);
  }
  return skus;
}

function galleryOf(name: string): Readonly<Record<string, readonly string[]>> {
  if (name.toLowerCase() !== GALLERY_NAME) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/galleries/${name}' was not found.`,
    );
  }
  return GALLERY;
}

/** A compute gallery's image definitions and their versions (`{ value }`, as ARM lists them). */
function addGalleryRoutes(table: RouteTable, cloud: ArmCloud): void {
  const idOf = (ctx: { params: Record<string, string | undefined> }) =>
    `/subscriptions/${ctx.params.sub}/resourceGroups/${ctx.params.rg}/providers/Microsoft.Compute/galleries/${ctx.params.gallery}`;
  table
    .add('GET', `${GALLERY_PATH}/images`, (ctx) => ({
      status: 200,
      body: {
        value: Object.keys(galleryOf(ctx.params.gallery ?? '')).map((name) => ({
          name,
          id: `${idOf(ctx)}/images/${name}`,
          type: 'Microsoft.Compute/galleries/images',
          location: cloud.location,
          properties: {
            osType: 'Linux',
            osState: 'Generalized',
            identifier: { publisher: 'hybrid-broker', offer: 'sg', sku: name },
            recommended: { memory: { min: 1, max: 32 } },
            provisioningState: 'Succeeded',
          },
        })),
      },
    }))
    .add('GET', `${GALLERY_PATH}/images/{image}/versions`, (ctx) => {
      const image = ctx.params.image ?? '';
      const versions = galleryOf(ctx.params.gallery ?? '')[image];
      if (versions === undefined) {
        throw new ArmError(
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.Compute/galleries/images/${image}' was not found.`,
        );
      }
      return {
        status: 200,
        body: {
          value: versions.map((name) => ({
            name,
            id: `${idOf(ctx)}/images/${image}/versions/${name}`,
            type: 'Microsoft.Compute/galleries/images/versions',
            location: cloud.location,
            properties: {
              provisioningState: 'Succeeded',
              storageProfile: { osDiskImage: { sizeInGB: 30, hostCaching: 'ReadWrite' } },
            },
          })),
        },
      };
    });
}

/**
 * The read-only catalog routes: `locations/{l}/vmSizes` (`{ value }`, ARM's VirtualMachineSize),
 * and the marketplace's skus of an offer and versions of a sku, which ARM answers as bare arrays
 * of `{ name, location, id }`; and the gallery `sg-gallery` of every resource group.
 */
export function addArmCatalogRoutes(table: RouteTable, cloud: ArmCloud): void {
  addGalleryRoutes(table, cloud);
  table
    .add('GET', `${LOCATION}/vmSizes`, () => ({
      status: 200,
      body: {
        value: cloud.vmSizes.map((name) => {
          const [cores, memory, disk] = SIZE_SPECS[name] ?? [2, 4096, 0];
          return {
            name,
            numberOfCores: cores,
            osDiskSizeInMB: 1_047_552,
            resourceDiskSizeInMB: disk,
            memoryInMB: memory,
            maxDataDiskCount: cores * 2,
          };
        }),
      },
    }))
    .add('GET', SKUS, (ctx) => {
      const { sub, location, publisher = '', offer = '' } = ctx.params;
      const base = `/Subscriptions/${sub}/Providers/Microsoft.Compute/Locations/${location}/Publishers/${publisher}/ArtifactTypes/VMImage/Offers/${offer}/Skus`;
      return {
        status: 200,
        body: Object.keys(skusOf(publisher, offer)).map((name) => ({
          name,
          location,
          id: `${base}/${name}`,
        })),
      };
    })
    .add('GET', `${SKUS}/{sku}/versions`, (ctx) => {
      const { sub, location, publisher = '', offer = '', sku = '' } = ctx.params;
      const versions = Object.entries(skusOf(publisher, offer)).find(
        ([name]) => name.toLowerCase() === sku.toLowerCase(),
      )?.[1];
      if (versions === undefined)
        throw new ArmError(404, 'ArtifactNotFound', `Artifact: VMImage was not found.`);
      const base = `/Subscriptions/${sub}/Providers/Microsoft.Compute/Locations/${location}/Publishers/${publisher}/ArtifactTypes/VMImage/Offers/${offer}/Skus/${sku}/Versions`;
      return { status: 200, body: versions.map((name) => ({ name, location, id: `${base}/${name}` })) };
    });
}
