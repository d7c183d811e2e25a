import type { Flavor, FlavorFilter, Image, ImageFilter } from '@hybrid-broker/core';
import type { RegionDirectory } from './region-directory.js';
import { regionsFor } from './region-lists.js';
import { inRegionCall } from './region-results.js';

/*
 * Images and flavors are regional: each region's Glance and Nova answer for themselves. The
 * lists ask every region offering the service (or the filter's one, an unknown one being
 * `invalid-request` naming `region`) and tag each entry with its region. Ids stay the cloud's
 * own, without a region prefix: createServer passes `image` and `flavor` to the region it
 * routes to, whose driver resolves them there.
 */

/** The images of every region (or the filter's one) that match, each with its region. */
export async function listImagesAcross(
  directory: RegionDirectory,
  filter: ImageFilter,
  signal: AbortSignal | undefined,
): Promise<Image[]> {
  const { region, ...rest } = filter;
  const handles = await regionsFor(directory, region, 'image', signal);
  const lists = await Promise.all(
    handles.map(async ({ info, driver }) =>
      (await inRegionCall(info.name, () => driver.listImages(rest, { signal }))).map((i) => ({
        ...i,
        region: info.name,
      })),
    ),
  );
  return lists.flat();
}

/** The flavors of every region (or the filter's one) that match, each with its region. */
export async function listFlavorsAcross(
  directory: RegionDirectory,
  filter: FlavorFilter,
  signal: AbortSignal | undefined,
): Promise<Flavor[]> {
  const { region, ...rest } = filter;
  const handles = await regionsFor(directory, region, 'compute', signal);
  const lists = await Promise.all(
    handles.map(async ({ info, driver }) =>
      (await inRegionCall(info.name, () => driver.listFlavors(rest, { signal }))).map((f) => ({
        ...f,
        region: info.name,
      })),
    ),
  );
  return lists.flat();
}
