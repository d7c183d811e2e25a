/** Normalized image states: what a create can use (`available`), what is not ready yet, and what never will be. */
export const IMAGE_STATUSES = ['available', 'pending', 'error', 'unavailable'] as const;

/** An image's normalized state; the cloud's own word is `providerStatus`. */
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** An image a server can be created from (Glance image, AMI, Azure image version). */
export interface Image {
  /** What createServer's `image` takes as an id. */
  readonly id: string;
  readonly name: string;
  readonly status: ImageStatus;
  /** The cloud's own status (`active`, `available`, `Succeeded`). */
  readonly providerStatus: string;
  /** The smallest root disk the image needs, in GiB (0: no minimum known). */
  readonly minDiskGiB: number;
  /** The least memory the image needs, in MiB (0: no minimum known). */
  readonly minRamMiB: number;
  /** Set by multi-region drivers. */
  readonly region?: string;
}

/** A flavor (Nova flavor, EC2 instance type, Azure VM size). */
export interface Flavor {
  /** What createServer's `flavor` takes as an id. */
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly ramMiB: number;
  /** Root disk in GiB (0: the cloud gives none, e.g. EBS-only instance types). */
  readonly diskGiB: number;
  /** Set by multi-region drivers. */
  readonly region?: string;
}

/** Which images `listImages` returns; every field given narrows the list. */
export interface ImageFilter {
  /** The exact name. */
  readonly name?: string;
  /** Only images in this normalized status. */
  readonly status?: ImageStatus;
  /** Only this region (multi-region drivers); others list every region. */
  readonly region?: string;
}

/** Which flavors `listFlavors` returns; every field given narrows the list. */
export interface FlavorFilter {
  /** At least this many virtual CPUs. */
  readonly minVcpus?: number;
  /** At least this much memory, in MiB. */
  readonly minRamMiB?: number;
  /** Only this region (multi-region drivers); others list every region. */
  readonly region?: string;
}
