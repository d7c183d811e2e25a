import type { VirtualMachineImageResource, VirtualMachineSize } from '@azure/arm-compute';
import {
  BrokerError,
  type CreateServerRequest,
  type Flavor,
  type FlavorFilter,
  type Image,
  type ImageFilter,
} from '@hybrid-broker/core';
import { CatalogNames, flavorMatches, imageMatches } from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import { toAzureError } from './azure-errors.js';
import { galleryImages } from './gallery-images.js';

/** How long a resolved image or flavor name is remembered (the OpenStack driver's default `lookupTtlMs`). */
const NAME_TTL_MS = 300_000;

// A resource id or a marketplace URN is taken as an image id, a `Standard_`/`Basic_` name as a
// size, without a request: a create sends what it did before.
const IMAGE_ID = /^\/|^[^:]+:[^:]+:[^:]+:[^:]+$/;
const VM_SIZE = /^(Standard|Basic)_/i;

/**
 * The Azure images and VM sizes of the configured location. Images come from the config's
 * `imageSource`: a marketplace publisher and offer (every sku, or the ones listed), each
 * version an image named `<sku>:<version>` with the URN as its id, plus `<sku>:latest`,
 * which ARM resolves to the newest version at create; or a compute gallery (gallery-images.ts).
 * VM sizes are `locations/{l}/vmSizes`.
 */
export class AzureCatalog {
  readonly #arm: ArmAccess;
  readonly #names: CatalogNames;

  constructor(arm: ArmAccess) {
    this.#arm = arm;
    this.#names = new CatalogNames({
      clock: arm.context.services.clock,
      ttlMs: NAME_TTL_MS,
      listImages: (filter, signal) => this.listImages(filter, signal),
      listFlavors: (filter, signal) => this.listFlavors(filter, signal),
      isImageId: (ref) => IMAGE_ID.test(ref),
      isFlavorId: (ref) => VM_SIZE.test(ref),
    });
  }

  /** True when a source of images is configured (capability `listImages`). */
  get hasImages(): boolean {
    return this.#arm.config.imageSource !== undefined;
  }

  /** `request` with a named image or flavor replaced by its id. */
  async resolve(request: CreateServerRequest, signal: AbortSignal | undefined): Promise<CreateServerRequest> {
    const [image, flavor] = await Promise.all([
      this.#names.image(request.image, signal),
      this.#names.flavor(request.flavor, signal),
    ]);
    return image === request.image && flavor === request.flavor ? request : { ...request, image, flavor };
  }

  /** The versions of the configured marketplace offer that match `filter`. */
  async listImages(filter: ImageFilter, signal: AbortSignal | undefined): Promise<Image[]> {
    const source = this.#arm.config.imageSource;
    if (source === undefined) {
      throw new BrokerError(
        'invalid-request',
        'no imageSource is configured: give the image as a marketplace URN (publisher:offer:sku:version) or an image id',
        { field: 'image' },
      );
    }
    if ('gallery' in source) {
      return (await galleryImages(this.#arm, source, signal)).filter((i) => imageMatches(i, filter));
    }
    const { location } = this.#arm.config;
    const images = this.#arm.clients.compute.virtualMachineImages;
    const skus =
      source.skus ??
      (
        await this.#read('listing image skus', signal, () =>
          images.listSkus(location, source.publisher, source.offer, { abortSignal: signal }),
        )
      ).map((s) => s.name);
    const lists = await Promise.all(
      skus.map(async (sku) => {
        const versions = await this.#read(`listing versions of image sku ${sku}`, signal, () =>
          images.list(location, source.publisher, source.offer, sku, { abortSignal: signal }),
        );
        const urn = (version: string) => `${source.publisher}:${source.offer}:${sku}:${version}`;
        return [...versions.map((v) => v.name), 'latest'].map((version) =>
          toImage(urn(version), `${sku}:${version}`),
        );
      }),
    );
    return lists.flat().filter((i) => imageMatches(i, filter));
  }

  /** The VM sizes of the configured location that match `filter`. */
  async listFlavors(filter: FlavorFilter, signal: AbortSignal | undefined): Promise<Flavor[]> {
    const { location } = this.#arm.config;
    const sizes = await this.#arm.retry('listFlavors', signal, true, async () => {
      const all: VirtualMachineSize[] = [];
      try {
        const pages = this.#arm.clients.compute.virtualMachineSizes.list(location, { abortSignal: signal });
        for await (const size of pages) all.push(size);
      } catch (error) {
        throw toAzureError(error, `listing the VM sizes of ${location}`);
      }
      return all;
    });
    return sizes.map(toFlavor).filter((f) => flavorMatches(f, filter));
  }

  #read(
    what: string,
    signal: AbortSignal | undefined,
    send: () => Promise<VirtualMachineImageResource[]>,
  ): Promise<VirtualMachineImageResource[]> {
    return this.#arm.retry('listImages', signal, true, () =>
      send().catch((error: unknown) => {
        throw toAzureError(error, what);
      }),
    );
  }
}

function toImage(id: string, name: string): Image {
  // A marketplace version has no state of its own: listed is usable.
  return { id, name, status: 'available', providerStatus: 'listed', minDiskGiB: 0, minRamMiB: 0 };
}

function toFlavor(size: VirtualMachineSize): Flavor {
  const name = size.name ?? '';
  return {
    id: name,
    name,
    vcpus: size.numberOfCores ?? 0,
    ramMiB: size.memoryInMB ?? 0,
    // The temporary (resource) disk: the OS disk's size comes from the image.
    diskGiB: Math.floor((size.resourceDiskSizeInMB ?? 0) / 1024),
  };
}
