import { RouteTable } from '../route-table.js';
import { type SimContext, SimError, type SimService } from '../service.js';
import { timeFilterOf } from './changes-filters.js';
import { volumeAction } from './cinder-actions.js';
import { createSources } from './cinder-create-sources.js';
import { addSnapshotRoutes, snapshotIdsOf } from './cinder-snapshots.js';
import { volumeLinks, volumeView } from './cinder-views.js';
import { objectField, optionalString } from './json-fields.js';
import { addMetadataRoutes } from './metadata-routes.js';
import { requestedMinor, VOLUME_VERSIONS } from './microversion.js';
import { createEndpointService, type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import { paginate } from './pagination.js';
import type { VolumeRecord } from './state.js';
import { createVolumeRecord } from './volume-factory.js';

/** Statuses a volume can be deleted from (Cinder's `delete` precondition). */
const DELETABLE = new Set(['available', 'error', 'error_restoring', 'error_extending', 'error_managing']);

/** Cinder (v3 and v2) for every region with block storage, at `/volume/{region}/v3|v2/{project_id}`. */
export function createCinderService(os: OpenStackSim): SimService {
  const table = new RouteTable().add('GET', '/volume/{region}', (ctx) => ({
    status: 300,
    body: { versions: ['v2', 'v3'].map((id) => versionEntry(ctx, id)) },
  }));
  for (const version of ['v3', 'v2'] as const) {
    const base = `/volume/{region}/${version}/{project}/volumes`;
    table
      .add(
        'GET',
        base,
        scoped(os, 'volume', (ctx, scope) => list(os, ctx, scope, false)),
      )
      .add(
        'GET',
        `${base}/detail`,
        scoped(os, 'volume', (ctx, scope) => list(os, ctx, scope, true)),
      )
      .add(
        'POST',
        base,
        scoped(os, 'volume', (ctx, scope) => create(os, ctx, scope)),
      )
      .add(
        'GET',
        `${base}/{id}`,
        scoped(os, 'volume', (ctx, scope) => ({
          status: 200,
          body: { volume: volumeView(findVolume(os, scope, ctx.params.id), scope.base, minorOf(ctx, scope)) },
        })),
      )
      .add(
        'DELETE',
        `${base}/{id}`,
        scoped(os, 'volume', (ctx, scope) => remove(os, ctx, scope)),
      )
      .add(
        'POST',
        `${base}/{id}/action`,
        scoped(os, 'volume', (ctx, scope) => volumeAction(os, ctx, findVolume(os, scope, ctx.params.id))),
      );
    addMetadataRoutes(table, os, 'volume', base, findVolume);
  }
  addSnapshotRoutes(table, os);
  return createEndpointService({ name: 'cinder', root: 'volume', table, versions: VOLUME_VERSIONS });
}

/** The microversion for v3 URLs; v2 has none. */
function minorOf(ctx: SimContext, scope: Scope): number | undefined {
  return scope.base.includes('/v3/') ? requestedMinor(ctx.headers, VOLUME_VERSIONS) : undefined;
}

function findVolume(os: OpenStackSim, scope: Scope, id: string | undefined): VolumeRecord {
  const volume = os.state.volume(scope.region.name, scope.projectId, id ?? '');
  if (!volume) throw new SimError(404, `Volume ${id} could not be found.`);
  return volume;
}

function create(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const body = objectField(ctx.json(), 'volume');
  const size = body.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    throw new SimError(
      400,
      `Invalid input received: Volume size '${String(size)}' must be an integer and greater than 0`,
    );
  }
  const zone = optionalString(body, 'availability_zone');
  if (zone !== undefined && !scope.region.availabilityZones.includes(zone)) {
    throw new SimError(400, `Availability zone '${zone}' is invalid.`);
  }
  const { metadata } = createSources(os, body);
  const volume = createVolumeRecord(os, {
    region: scope.region,
    projectId: scope.projectId,
    userId: scope.token.user.id,
    sizeGiB: size,
    availabilityZone: zone,
    name: optionalString(body, 'name') ?? '',
    description: optionalString(body, 'description') ?? null,
    multiattach: body.multiattach === true,
    volumeType: optionalString(body, 'volume_type'),
  });
  Object.assign(volume.metadata, metadata);
  os.lifecycle.createVolume(volume, ctx.transition);
  return { status: 202, body: { volume: volumeView(volume, scope.base, minorOf(ctx, scope)) } };
}

function remove(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const volume = findVolume(os, scope, ctx.params.id);
  const pinned = snapshotIdsOf(os, volume.id).length > 0;
  if (!DELETABLE.has(volume.status) || volume.attachments.length > 0 || pinned) {
    throw new SimError(
      400,
      'Invalid volume: Volume status must be available or error or error_restoring or error_extending or ' +
        'error_managing and must not be migrating, attached, belong to a group, have snapshots or be ' +
        'disassociated from snapshots after volume transfer.',
    );
  }
  os.lifecycle.deleteVolume(volume, ctx.transition);
  return { status: 202 };
}

function list(os: OpenStackSim, ctx: SimContext, scope: Scope, detail: boolean) {
  const name = ctx.query.get('name');
  const status = ctx.query.get('status');
  const metadata = metadataFilter(ctx.query.get('metadata'));
  const mv = minorOf(ctx, scope);
  const updated = timeFilterOf('updated_at', ctx.query.get('updated_at'), mv);
  const created = timeFilterOf('created_at', ctx.query.get('created_at'), mv);
  const all = os.state
    .volumesOf(scope.region.name, scope.projectId)
    .reverse()
    .filter((v) => (name === null || v.name === name) && (status === null || v.status === status))
    .filter((v) => (!updated || updated(v.updated)) && (!created || created(v.created)))
    .filter((v) => Object.entries(metadata).every(([key, value]) => v.metadata[key] === value));
  const href = `${scope.base}/volumes${detail ? '/detail' : ''}`;
  const page = paginate(all, ctx.query, href, (m) => `Marker ${m} could not be found.`);
  const volumes = page.items.map((v) =>
    detail ? volumeView(v, scope.base, mv) : { id: v.id, name: v.name, links: volumeLinks(scope.base, v.id) },
  );
  const body: Record<string, unknown> = { volumes };
  if (page.next) body.volumes_links = [{ rel: 'next', href: page.next }];
  return { status: 200, headers: { date: new Date(os.now()).toUTCString() }, body };
}

/** Cinder's `metadata` filter: a JSON object (Python literal in old clients) of pairs that must all match. */
function metadataFilter(text: string | null): Record<string, string> {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // falls through to Cinder's answer for an unreadable filter
  }
  throw new SimError(400, `Invalid input received: Invalid filter: metadata ${text}`);
}

function versionEntry(ctx: SimContext, id: string): unknown {
  const v3 = id === 'v3';
  return {
    id: v3 ? 'v3.0' : 'v2.0',
    status: v3 ? 'CURRENT' : 'DEPRECATED',
    version: v3 ? `3.${VOLUME_VERSIONS.maxMinor}` : '',
    min_version: v3 ? '3.0' : '',
    updated: v3 ? '2023-08-31T00:00:00Z' : '2017-02-25T12:00:00Z',
    links: [{ rel: 'self', href: `${ctx.origin}${ctx.path}/${id}/` }],
  };
}
