import type { ListPage, PageOptions, Server, ServerFilter, Volume, VolumeFilter } from '@hybrid-broker/core';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { NovaClient } from '../nova/nova-client.js';
import { cinderQuery, matchingServers, matchingVolumes, novaQuery } from './openstack-lists.js';

// Nova's and Cinder's default `osapi_max_limit`: a larger `limit` is cut to it anyway.
const MAX_LIMIT = 1_000;

/** Nova's and Cinder's `limit` for a page: what the caller still wants, at most the cloud's cap. */
function limitFor(options: PageOptions): number | undefined {
  return options.pageSize === undefined ? undefined : Math.min(Math.max(1, options.pageSize), MAX_LIMIT);
}

/**
 * One page of the project's servers that match `filter`. The cursor is Nova's `marker`
 * (the last server id of the page before), taken from its `servers_links`.
 */
export async function serversPageOf(
  nova: NovaClient,
  filter: ServerFilter,
  region: string | undefined,
  options: PageOptions,
): Promise<ListPage<Server>> {
  const page = await nova.listServersPage(
    novaQuery(filter),
    options.cursor,
    limitFor(options),
    options.signal,
  );
  return { items: matchingServers(page.servers, filter, region), next: page.next };
}

/** One page of the project's volumes that match `filter`; the cursor is Cinder's `marker`. */
export async function volumesPageOf(
  cinder: CinderClient,
  filter: VolumeFilter,
  region: string | undefined,
  options: PageOptions,
): Promise<ListPage<Volume>> {
  const page = await cinder.listVolumesPage(
    cinderQuery(filter),
    options.cursor,
    limitFor(options),
    options.signal,
  );
  return { items: matchingVolumes(page.volumes, filter, region), next: page.next };
}
