import {
  BrokerError,
  type ListPage,
  type PageOptions,
  type Server,
  type ServerFilter,
  type Volume,
  type VolumeFilter,
} from '@hybrid-broker/core';
import type { ServiceName } from '@hybrid-broker/driver-openstack';
import type { RegionDirectory } from './region-directory.js';
import { parseRegionId } from './region-id.js';
import { inRegion, inRegionCall } from './region-results.js';

/*
 * Lists across regions, one page at a time: the regions are read one after the other, each
 * page from one region, so a limit or an iterator that stops early asks no further region.
 * The cursor names the region and that region's own marker.
 */

/** Where a cascading page starts: a region, and the marker within it (absent: its first page). */
interface RegionCursor {
  readonly region: string;
  readonly marker?: string | undefined;
}

function encode(cursor: RegionCursor | undefined): string | undefined {
  return cursor === undefined ? undefined : JSON.stringify(cursor);
}

function decode(cursor: string | undefined): RegionCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (typeof parsed === 'object' && parsed !== null && 'region' in parsed) {
      const { region, marker } = parsed as { region: unknown; marker?: unknown };
      if (typeof region === 'string' && (marker === undefined || typeof marker === 'string'))
        return { region, marker };
    }
  } catch {
    // reported below, as every other bad cursor
  }
  throw new BrokerError('invalid-request', 'cursor is not a cursor of this list', { field: 'cursor' });
}

/** The regions a list reads, in catalog order: `only`, else every region offering `service`. */
async function regionNames(
  directory: RegionDirectory,
  only: string | undefined,
  service: ServiceName,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  if (only !== undefined) return [(await directory.handle(only, [service], 'region', signal)).info.name];
  const table = await directory.table(signal);
  return [...table.regions.values()].filter((r) => r.services.includes(service)).map((r) => r.name);
}

/** One page of one region, and the cursor after it: that region's next page, else the next region. */
async function pageAcross<T>(
  names: readonly string[],
  options: PageOptions,
  read: (region: string, marker: string | undefined) => Promise<ListPage<T>>,
): Promise<ListPage<T>> {
  const at = decode(options.cursor) ?? (names[0] === undefined ? undefined : { region: names[0] });
  if (at === undefined) return { items: [] };
  const index = names.indexOf(at.region);
  if (index < 0)
    throw new BrokerError(
      'invalid-request',
      `cursor names region "${at.region}", which this list does not read`,
      { field: 'cursor' },
    );
  const page = await inRegionCall(at.region, () => read(at.region, at.marker));
  const following = names[index + 1];
  const next: RegionCursor | undefined =
    page.next !== undefined
      ? { region: at.region, marker: page.next }
      : following === undefined
        ? undefined
        : { region: following };
  return { items: page.items, next: encode(next) };
}

/** A page of the servers of every region (or the filter's one) that match, with region-carrying ids. */
export async function serversPageAcross(
  directory: RegionDirectory,
  filter: ServerFilter,
  options: PageOptions,
): Promise<ListPage<Server>> {
  const { region, ...rest } = filter;
  const names = await regionNames(directory, region, 'compute', options.signal);
  return pageAcross(names, options, async (name, marker) => {
    const { driver } = await directory.handle(name, ['compute'], 'region', options.signal);
    const page = await driver.listServersPage(rest, { ...options, cursor: marker });
    return { items: page.items.map((s) => inRegion.server(name, s)), next: page.next };
  });
}

/** A page of the volumes of every region (or the filter's, or that of `filter.serverId`) that match. */
export async function volumesPageAcross(
  directory: RegionDirectory,
  filter: VolumeFilter,
  options: PageOptions,
): Promise<ListPage<Volume>> {
  const { region, serverId, ...rest } = filter;
  const server = serverId === undefined ? undefined : parseRegionId(serverId, 'serverId');
  if (region !== undefined && server?.region !== undefined && server.region !== region) return { items: [] };
  const names = await regionNames(directory, region ?? server?.region, 'volume', options.signal);
  const inThis = server === undefined ? {} : { serverId: server.providerId };
  return pageAcross(names, options, async (name, marker) => {
    const { driver } = await directory.handle(name, ['volume'], 'region', options.signal);
    const page = await driver.listVolumesPage({ ...rest, ...inThis }, { ...options, cursor: marker });
    return { items: page.items.map((v) => inRegion.volume(name, v)), next: page.next };
  });
}
