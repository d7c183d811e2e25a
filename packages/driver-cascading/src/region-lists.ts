import type { Server, ServerFilter, Volume, VolumeFilter } from '@hybrid-broker/core';
import type { ServiceName } from '@hybrid-broker/driver-openstack';
import type { RegionDirectory, RegionHandle } from './region-directory.js';
import { parseRegionId } from './region-id.js';
import { inRegion, inRegionCall } from './region-results.js';

/**
 * The regions a list asks: the one the filter names (an unknown region is
 * `invalid-request` naming `region`), else every region offering `service`.
 */
export async function regionsFor(
  directory: RegionDirectory,
  region: string | undefined,
  service: ServiceName,
  signal: AbortSignal | undefined,
): Promise<RegionHandle[]> {
  if (region !== undefined) return [await directory.handle(region, [service], 'region', signal)];
  const table = await directory.table(signal);
  const names = [...table.regions.values()].filter((r) => r.services.includes(service)).map((r) => r.name);
  return Promise.all(names.map((name) => directory.handle(name, [service], 'region', signal)));
}

/** The servers of every region (or the filter's one) that match, with region-carrying ids. */
export async function listServersAcross(
  directory: RegionDirectory,
  filter: ServerFilter,
  signal: AbortSignal | undefined,
): Promise<Server[]> {
  const { region, ...rest } = filter;
  const handles = await regionsFor(directory, region, 'compute', signal);
  const lists = await Promise.all(
    handles.map(async ({ info, driver }) =>
      (await inRegionCall(info.name, () => driver.listServers(rest, { signal }))).map((s) =>
        inRegion.server(info.name, s),
      ),
    ),
  );
  return lists.flat();
}

/**
 * The volumes of every region (or the filter's one) that match. A `serverId`
 * with a region prefix also limits the list to that region.
 */
export async function listVolumesAcross(
  directory: RegionDirectory,
  filter: VolumeFilter,
  signal: AbortSignal | undefined,
): Promise<Volume[]> {
  const { region, serverId, ...rest } = filter;
  const server = serverId === undefined ? undefined : parseRegionId(serverId, 'serverId');
  const only = region ?? server?.region;
  if (region !== undefined && server?.region !== undefined && server.region !== region) return [];
  const handles = await regionsFor(directory, only, 'volume', signal);
  const lists = await Promise.all(
    handles.map(async ({ info, driver }) => {
      const inThis = server === undefined ? {} : { serverId: server.providerId };
      const found = await inRegionCall(info.name, () =>
        driver.listVolumes({ ...rest, ...inThis }, { signal }),
      );
      return found.map((v) => inRegion.volume(info.name, v));
    }),
  );
  return lists.flat();
}
