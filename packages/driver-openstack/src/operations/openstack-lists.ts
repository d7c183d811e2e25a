import type { Server, ServerFilter, Volume, VolumeFilter, VolumeStatus } from '@hybrid-broker/core';
import { serverMatches, volumeMatches } from '@hybrid-broker/core/driver-kit';
import type { CinderClient, CinderVolumeQuery } from '../cinder/cinder-client.js';
import type { CinderVolume } from '../cinder/cinder-schemas.js';
import type { NovaClient } from '../nova/nova-client.js';
import type { NovaServer } from '../nova/nova-schemas.js';
import { IDEMPOTENCY_METADATA_KEY } from './create-server.js';
import { toServer, toVolume } from './openstack-mapping.js';

// Normalized statuses that are exactly one Cinder status, so Cinder can filter by them;
// the rest (`attaching` is also `reserved`, `error` is every `error_*`) are filtered here.
const ONE_CINDER_STATUS: ReadonlySet<VolumeStatus> = new Set([
  'available',
  'in-use',
  'creating',
  'detaching',
  'deleting',
]);

/** `text` as a regular expression that matches only itself. */
export function exactPattern(text: string): string {
  return `^${text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;
}

/**
 * The servers of the project that match `filter`. Nova's `name` filter is a
 * regular expression (api-ref compute, "List Servers": `name` "Filters the
 * response by a server name, as a string. You can use regular expressions in
 * the query"), so it is sent anchored and escaped, and the exact name is
 * checked again here, as are metadata pairs, which Nova cannot filter by.
 */
export async function listServersOf(
  nova: NovaClient,
  filter: ServerFilter,
  region: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Server[]> {
  return matchingServers(await nova.listServers(signal, novaQuery(filter)), filter, region);
}

/** Nova's own filters for `filter`: the name, anchored and escaped. */
export function novaQuery(filter: ServerFilter): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.name !== undefined) query.set('name', exactPattern(filter.name));
  return query;
}

/** The servers of `found` (Nova's answer) that match `filter` exactly. */
export function matchingServers(
  found: readonly NovaServer[],
  filter: ServerFilter,
  region: string | undefined,
): Server[] {
  return found
    .filter((s) => s.status !== 'DELETED')
    .map((s) => ({ server: toServer(s, region), key: s.metadata?.[IDEMPOTENCY_METADATA_KEY] }))
    .filter(({ server, key }) => serverMatches(server, filter, key))
    .map(({ server }) => server);
}

/** The volumes of the project that match `filter`: Cinder filters name, status and metadata; attachments are checked here. */
export async function listVolumesOf(
  cinder: CinderClient,
  filter: VolumeFilter,
  region: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Volume[]> {
  const found = await cinder.listVolumes(cinderQuery(filter), signal);
  return matchingVolumes(found, filter, region);
}

/** Cinder's own filters for `filter`. */
export function cinderQuery(filter: VolumeFilter): CinderVolumeQuery {
  const status =
    filter.status !== undefined && ONE_CINDER_STATUS.has(filter.status) ? filter.status : undefined;
  return { name: filter.name, status, metadata: filter.metadata };
}

/** The volumes of `found` (Cinder's answer) that match `filter` exactly. */
export function matchingVolumes(
  found: readonly CinderVolume[],
  filter: VolumeFilter,
  region: string | undefined,
): Volume[] {
  return found.map((v) => toVolume(v, region)).filter((v) => volumeMatches(v, filter));
}
