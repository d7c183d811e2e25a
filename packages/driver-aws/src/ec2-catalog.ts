import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  type EC2Client,
  type Image as Ec2Image,
  type Filter,
  type InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import type {
  Clock,
  CreateServerRequest,
  Flavor,
  FlavorFilter,
  Image,
  ImageFilter,
  ImageStatus,
} from '@hybrid-broker/core';
import { CatalogNames, flavorMatches, imageMatches } from '@hybrid-broker/core/driver-kit';
import { ec2Call } from './ec2-calls.js';

// Lists are followed to the end, but an API that keeps handing out NextToken must not loop forever.
const MAX_PAGES = 1_000;

/** How long a resolved image or flavor name is remembered (the OpenStack driver's default `lookupTtlMs`). */
const NAME_TTL_MS = 300_000;

/** Whose images the driver lists (the config's `imageOwners` and `imageFilters`). */
export interface Ec2CatalogOptions {
  /** DescribeImages `Owners`: account ids, `self`, `amazon`, `aws-marketplace`. */
  readonly owners: readonly string[];
  /** Further DescribeImages filters every list applies, e.g. `{ architecture: ['x86_64'] }`. */
  readonly filters: Readonly<Record<string, readonly string[]>>;
}

/** The catalog of the config's defaults: the account's own images. */
export const DEFAULT_EC2_CATALOG: Ec2CatalogOptions = { owners: ['self'], filters: {} };

// An AMI id and an instance type are taken as ids without a request, so a create sends what it did before.
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

const STATE: Readonly<Record<string, ImageStatus>> = {
  available: 'available',
  pending: 'pending',
  transient: 'pending',
  failed: 'error',
  error: 'error',
  invalid: 'error',
};

/**
 * EC2's images (DescribeImages with the configured owners and filters; the request's `name`
 * and `available` status become the `name` and `state` filters) and instance types
 * (DescribeInstanceTypes, every page), and createServer's names resolved by core's rule.
 */
export class Ec2Catalog {
  readonly #client: EC2Client;
  readonly #options: Ec2CatalogOptions;
  readonly #region: string;
  readonly #names: CatalogNames;

  constructor(client: EC2Client, region: string, clock: Clock, options: Ec2CatalogOptions) {
    this.#client = client;
    this.#region = region;
    this.#options = options;
    this.#names = new CatalogNames({
      clock,
      ttlMs: NAME_TTL_MS,
      listImages: (filter, signal) => this.listImages(filter, signal),
      listFlavors: (filter, signal) => this.listFlavors(filter, signal),
      isImageId: (ref) => AMI_ID.test(ref),
      isFlavorId: (ref) => INSTANCE_TYPE.test(ref),
    });
  }

  /** `request` with a named image or flavor replaced by its id. */
  async resolve(request: CreateServerRequest, signal: AbortSignal | undefined): Promise<CreateServerRequest> {
    const [image, flavor] = await Promise.all([
      this.#names.image(request.image, signal),
      this.#names.flavor(request.flavor, signal),
    ]);
    return image === request.image && flavor === request.flavor ? request : { ...request, image, flavor };
  }

  /** The images that match `filter`. */
  async listImages(filter: ImageFilter, signal: AbortSignal | undefined): Promise<Image[]> {
    const filters: Filter[] = Object.entries(this.#options.filters).map(([Name, Values]) => ({
      Name,
      Values: [...Values],
    }));
    if (filter.name !== undefined) filters.push({ Name: 'name', Values: [filter.name] });
    if (filter.status === 'available') filters.push({ Name: 'state', Values: ['available'] });
    const found: Ec2Image[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await ec2Call('DescribeImages', signal, (o) =>
        this.#client.send(
          new DescribeImagesCommand({
            Owners: [...this.#options.owners],
            ...(filters.length > 0 ? { Filters: filters } : {}),
            ...(next === undefined ? {} : { NextToken: next }),
          }),
          o,
        ),
      );
      found.push(...(out.Images ?? []));
      next = out.NextToken || undefined;
      if (next === undefined) break;
    }
    return found.map((i) => toImage(i, this.#region)).filter((i) => imageMatches(i, filter));
  }

  /** The instance types that match `filter` (EC2 filters them by exact values only, so they are checked here). */
  async listFlavors(filter: FlavorFilter, signal: AbortSignal | undefined): Promise<Flavor[]> {
    const found: InstanceTypeInfo[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await ec2Call('DescribeInstanceTypes', signal, (o) =>
        this.#client.send(
          new DescribeInstanceTypesCommand({
            MaxResults: 100,
            ...(next === undefined ? {} : { NextToken: next }),
          }),
          o,
        ),
      );
      found.push(...(out.InstanceTypes ?? []));
      next = out.NextToken || undefined;
      if (next === undefined) break;
    }
    return found.map((t) => toFlavor(t, this.#region)).filter((f) => flavorMatches(f, filter));
  }
}

function toImage(image: Ec2Image, region: string): Image {
  const providerStatus = image.State ?? 'unknown';
  const root = image.BlockDeviceMappings?.find((m) => m.DeviceName === image.RootDeviceName);
  return {
    id: image.ImageId ?? '',
    name: image.Name ?? '',
    status: STATE[providerStatus] ?? 'unavailable',
    providerStatus,
    // The root snapshot's size is the smallest root volume EC2 launches the AMI with.
    minDiskGiB: root?.Ebs?.VolumeSize ?? 0,
    minRamMiB: 0,
    region,
  };
}

function toFlavor(type: InstanceTypeInfo, region: string): Flavor {
  const name = type.InstanceType ?? '';
  return {
    id: name,
    name,
    vcpus: type.VCpuInfo?.DefaultVCpus ?? 0,
    ramMiB: type.MemoryInfo?.SizeInMiB ?? 0,
    diskGiB: type.InstanceStorageInfo?.TotalSizeInGB ?? 0,
    region,
  };
}
