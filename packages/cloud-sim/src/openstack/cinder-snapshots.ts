import type { RouteTable } from '../route-table.js';
import { type SimContext, SimError } from '../service.js';
import { type JsonObject, objectField, optionalString, stringMap } from './json-fields.js';
import { requestedMinor, VOLUME_VERSIONS } from './microversion.js';
import { type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import { paginate } from './pagination.js';
import { cinderTime } from './timestamps.js';

/** A Cinder snapshot as the emulator keeps it; its status derives from timestamps. */
interface SnapshotRecord {
  readonly id: string;
  readonly region: string;
  readonly projectId: string;
  readonly volumeId: string;
  readonly name: string;
  readonly description: string | null;
  readonly size: number;
  readonly metadata: Record<string, string>;
  readonly created: number;
  readonly readyAt: number;
  goneAt?: number;
}

// Kept beside the sim's state rather than in it, so the snapshot routes stay one file.
const stores = new WeakMap<OpenStackSim, Map<string, SnapshotRecord>>();

function storeOf(os: OpenStackSim): Map<string, SnapshotRecord> {
  const store = stores.get(os) ?? new Map<string, SnapshotRecord>();
  stores.set(os, store);
  return store;
}

/** The snapshot's status now; a snapshot past its delete is dropped (undefined). */
function statusOf(os: OpenStackSim, s: SnapshotRecord): string | undefined {
  const now = os.now();
  if (s.goneAt !== undefined) {
    if (now < s.goneAt) return 'deleting';
    storeOf(os).delete(s.id);
    return undefined;
  }
  return now < s.readyAt ? 'creating' : 'available';
}

/** The live snapshots of one region and project, oldest first (Cinder lists newest first). */
function snapshotsOf(os: OpenStackSim, region: string, projectId: string): SnapshotRecord[] {
  return [...storeOf(os).values()].filter(
    (s) => s.region === region && s.projectId === projectId && statusOf(os, s) !== undefined,
  );
}

/** The ids of a volume's snapshots: Cinder refuses to delete a volume that has any. */
export function snapshotIdsOf(os: OpenStackSim, volumeId: string): string[] {
  return [...storeOf(os).values()]
    .filter((s) => s.volumeId === volumeId && statusOf(os, s) !== undefined)
    .map((s) => s.id);
}

/**
 * The snapshot a `POST /volumes` names in `snapshot_id`, checked as Cinder checks it: 404 when
 * missing, 400 unless `available` or when the volume would be smaller than the snapshot.
 */
export function snapshotSource(os: OpenStackSim, id: string, size: unknown): void {
  const s = storeOf(os).get(id);
  const status = s && statusOf(os, s);
  if (!s || status === undefined) throw new SimError(404, `Snapshot ${id} could not be found.`);
  if (status !== 'available')
    throw new SimError(
      400,
      "Invalid snapshot: Originating snapshot status must be 'available' to create a volume.",
    );
  if (typeof size === 'number' && size < s.size)
    throw new SimError(
      400,
      `Invalid input received: Volume size '${size}'GB cannot be smaller than the snapshot size ${s.size}GB. They must be >= original snapshot size.`,
    );
}

function find(os: OpenStackSim, scope: Scope, id: string | undefined): SnapshotRecord {
  const s = storeOf(os).get(id ?? '');
  if (
    !s ||
    s.region !== scope.region.name ||
    s.projectId !== scope.projectId ||
    statusOf(os, s) === undefined
  )
    throw new SimError(404, `Snapshot ${id} could not be found.`);
  return s;
}

function view(os: OpenStackSim, s: SnapshotRecord, detail: boolean): JsonObject {
  const status = statusOf(os, s) ?? 'deleted';
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status,
    size: s.size,
    volume_id: s.volumeId,
    metadata: { ...s.metadata },
    created_at: cinderTime(s.created),
    updated_at: status === 'creating' ? null : cinderTime(s.readyAt),
    ...(detail
      ? {
          'os-extended-snapshot-attributes:progress': status === 'creating' ? '0%' : '100%',
          'os-extended-snapshot-attributes:project_id': s.projectId,
        }
      : {}),
  };
}

function create(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const body = objectField(ctx.json(), 'snapshot');
  const volumeId = optionalString(body, 'volume_id');
  if (volumeId === undefined)
    throw new SimError(
      400,
      "Invalid input for field/attribute snapshot. Value: 'volume_id' is a required property",
    );
  const volume = os.state.volume(scope.region.name, scope.projectId, volumeId);
  if (!volume) throw new SimError(404, `Volume ${volumeId} could not be found.`);
  const force = body.force === true || body.force === 'true' || body.force === 'True';
  if (volume.status !== 'available' && !(force && volume.status === 'in-use'))
    throw new SimError(
      400,
      `Invalid volume: Volume ${volume.id} status must be available, but current status is: ${volume.status}.`,
    );
  const metadata = stringMap(body, 'metadata');
  for (const [key, value] of Object.entries(metadata))
    if (key.length === 0 || key.length > 255 || value.length > 255)
      throw new SimError(400, `Invalid input for field/attribute metadata. Value: ${key}. is too long`);
  const now = os.now();
  const record: SnapshotRecord = {
    id: os.random.uuid(),
    region: scope.region.name,
    projectId: scope.projectId,
    volumeId: volume.id,
    name: optionalString(body, 'name') ?? '',
    description: optionalString(body, 'description') ?? null,
    size: volume.size,
    metadata,
    created: now,
    readyAt: now + os.lifecycle.delays.volumeCreateMs,
  };
  storeOf(os).set(record.id, record);
  return { status: 202, body: { snapshot: view(os, record, false) } };
}

function list(os: OpenStackSim, ctx: SimContext, scope: Scope, detail: boolean) {
  const q = ctx.query;
  // As Cinder: the metadata filter is read from microversion 3.22 on, and dropped before it.
  const byMeta = requestedMinor(ctx.headers, VOLUME_VERSIONS) >= 22 ? metadataOf(q.get('metadata')) : {};
  const all = snapshotsOf(os, scope.region.name, scope.projectId)
    .reverse()
    .filter((s) => (q.get('volume_id') ?? s.volumeId) === s.volumeId && (q.get('name') ?? s.name) === s.name)
    .filter((s) => q.get('status') === null || statusOf(os, s) === q.get('status'))
    .filter((s) => Object.entries(byMeta).every(([k, v]) => s.metadata[k] === v));
  const href = `${scope.base}/snapshots${detail ? '/detail' : ''}`;
  const page = paginate(all, q, href, (m) => `Marker ${m} could not be found.`);
  const body: JsonObject = { snapshots: page.items.map((s) => view(os, s, detail)) };
  if (page.next) body.snapshots_links = [{ rel: 'next', href: page.next }];
  return { status: 200, body };
}

function metadataOf(text: string | null): Record<string, string> {
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

function remove(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const s = find(os, scope, ctx.params.id);
  const status = statusOf(os, s);
  if (status !== 'available' && status !== 'error')
    throw new SimError(
      400,
      'Invalid snapshot: Volume Snapshot status must be available or error and must not be part of a group.',
    );
  s.goneAt = os.now() + os.lifecycle.delays.volumeDeleteMs;
  return { status: 202 };
}

/** Cinder's snapshot routes (`/snapshots`, `/detail`, `/{id}`) on the v3 and v2 bases. */
export function addSnapshotRoutes(table: RouteTable, os: OpenStackSim): void {
  for (const version of ['v3', 'v2'] as const) {
    const base = `/volume/{region}/${version}/{project}/snapshots`;
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
          body: { snapshot: view(os, find(os, scope, ctx.params.id), true) },
        })),
      )
      .add(
        'DELETE',
        `${base}/{id}`,
        scoped(os, 'volume', (ctx, scope) => remove(os, ctx, scope)),
      );
  }
}
