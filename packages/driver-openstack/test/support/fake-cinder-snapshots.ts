import { randomUUID } from 'node:crypto';
import { FAKE, type FakeCloud } from './fake-cloud.js';
import { faultView } from './fake-views.js';

type Reply = [number, unknown, Record<string, string>?];

interface FakeSnapshot {
  readonly id: string;
  readonly volumeId: string;
  readonly name: string;
  readonly size: number;
  readonly metadata: Record<string, string>;
  readonly created: number;
  readonly readyAt: number;
  goneAt?: number;
}

const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}`, 'content-type': 'application/json' });

// Beside the fake's state rather than in it, so the snapshot routes stay one file.
const stores = new WeakMap<FakeCloud, Map<string, FakeSnapshot>>();

function storeOf(cloud: FakeCloud): Map<string, FakeSnapshot> {
  const store = stores.get(cloud) ?? new Map<string, FakeSnapshot>();
  stores.set(cloud, store);
  return store;
}

/** The snapshot's status now; one past its delete is forgotten (undefined), as Cinder's 404. */
function statusOf(cloud: FakeCloud, s: FakeSnapshot): string | undefined {
  const now = Date.now();
  if (s.goneAt !== undefined) {
    if (now < s.goneAt) return 'deleting';
    storeOf(cloud).delete(s.id);
    return undefined;
  }
  return now < s.readyAt ? 'creating' : 'available';
}

/** True while the volume has snapshots: Cinder refuses to delete it then. */
export function hasSnapshots(cloud: FakeCloud, volumeId: string): boolean {
  return [...storeOf(cloud).values()].some(
    (s) => s.volumeId === volumeId && statusOf(cloud, s) !== undefined,
  );
}

function view(s: FakeSnapshot, status: string) {
  return {
    id: s.id,
    name: s.name,
    description: null,
    status,
    size: s.size,
    volume_id: s.volumeId,
    metadata: { ...s.metadata },
    created_at: new Date(s.created).toISOString().slice(0, 23),
    updated_at: null,
    'os-extended-snapshot-attributes:progress': status === 'creating' ? '0%' : '100%',
  };
}

/**
 * Cinder's `/snapshots` routes as the Block Storage v3 API reference documents them: POST
 * (202, `creating`; 400 for a volume not `available` unless forced while `in-use`), GET one
 * (404 `itemNotFound`), GET `/snapshots` and `/snapshots/detail` (filters `volume_id` and
 * `metadata`), DELETE (202; 400 unless `available` or `error`).
 * Undefined for any other route.
 */
export function cinderSnapshots(
  cloud: FakeCloud,
  method: string,
  path: string,
  body: unknown,
): Reply | undefined {
  const url = new URL(path, FAKE.cinder);
  const parts = url.pathname.split('/').filter(Boolean);
  const at = parts.indexOf('snapshots');
  if (at < 0) return undefined;
  const id = parts[at + 1];
  if (method === 'POST' && id === undefined) return create(cloud, body);
  if (method === 'GET' && (id === undefined || id === 'detail')) {
    // cloud-sim checks the 3.22 header the metadata filter needs; this fake reads the filter always
    const metadata = JSON.parse(url.searchParams.get('metadata') ?? '{}') as Record<string, string>;
    const volumeId = url.searchParams.get('volume_id');
    const snapshots = [...storeOf(cloud).values()]
      .map((s) => ({ s, status: statusOf(cloud, s) }))
      .filter(({ s, status }) => status !== undefined && (volumeId === null || s.volumeId === volumeId))
      .filter(({ s }) => Object.entries(metadata).every(([k, v]) => s.metadata[k] === v))
      .map(({ s, status }) => view(s, status ?? 'deleted'));
    return [200, { snapshots }, reqId()];
  }
  const snapshot = storeOf(cloud).get(id ?? '');
  const status = snapshot && statusOf(cloud, snapshot);
  if (!snapshot || status === undefined)
    return [404, faultView('itemNotFound', 404, `Snapshot ${id} could not be found.`), reqId()];
  if (method === 'GET') return [200, { snapshot: view(snapshot, status) }, reqId()];
  if (status !== 'available' && status !== 'error') {
    const message =
      'Invalid snapshot: Volume Snapshot status must be available or error and must not be part of a group.';
    return [400, faultView('badRequest', 400, message), reqId()];
  }
  snapshot.goneAt = Date.now() + cloud.delays.delete;
  return [202, '', reqId()];
}

function create(cloud: FakeCloud, body: unknown): Reply {
  const spec = (body as { snapshot?: Record<string, unknown> }).snapshot ?? {};
  const volume = cloud.volumes.get(String(spec.volume_id ?? ''));
  if (!volume)
    return [
      404,
      faultView('itemNotFound', 404, `Volume ${String(spec.volume_id)} could not be found.`),
      reqId(),
    ];
  const status = cloud.volumeStatus(volume);
  if (status !== 'available' && !(status === 'in-use' && spec.force === true)) {
    const message = `Invalid volume: Volume ${volume.id} status must be available, but current status is: ${status}.`;
    return [400, faultView('badRequest', 400, message), reqId()];
  }
  const now = Date.now();
  const snapshot: FakeSnapshot = {
    id: randomUUID(),
    volumeId: volume.id,
    name: String(spec.name ?? ''),
    size: volume.size,
    metadata: { ...(spec.metadata as Record<string, string> | undefined) },
    created: now,
    readyAt: now + cloud.delays.build,
  };
  storeOf(cloud).set(snapshot.id, snapshot);
  return [202, { snapshot: view(snapshot, 'creating') }, reqId()];
}
