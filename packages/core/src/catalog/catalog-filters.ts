import type { Flavor, FlavorFilter, Image, ImageFilter } from './catalog-types.js';

/*
 * The exact meaning of the catalog filters, checked by every driver on what its cloud returned
 * (as list-filters.ts does for servers and volumes): the cloud's own filter only narrows the pages.
 */

/** True when `image` matches `filter`. */
export function imageMatches(image: Image, filter: ImageFilter): boolean {
  if (filter.name !== undefined && image.name !== filter.name) return false;
  if (filter.status !== undefined && image.status !== filter.status) return false;
  return !(filter.region !== undefined && image.region !== undefined && image.region !== filter.region);
}

/** True when `flavor` matches `filter`. */
export function flavorMatches(flavor: Flavor, filter: FlavorFilter): boolean {
  if (filter.minVcpus !== undefined && flavor.vcpus < filter.minVcpus) return false;
  if (filter.minRamMiB !== undefined && flavor.ramMiB < filter.minRamMiB) return false;
  return !(filter.region !== undefined && flavor.region !== undefined && flavor.region !== filter.region);
}
