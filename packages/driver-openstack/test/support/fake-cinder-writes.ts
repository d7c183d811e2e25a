import { randomUUID } from 'node:crypto';
import { hasSnapshots } from './fake-cinder-snapshots.js';
import type { FakeCloud } from './fake-cloud.js';
import { faultView, volumeView } from './fake-views.js';

type Reply = [number, unknown, Record<string, string>?];

const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}`, 'content-type': 'application/json' });

/** Statuses Cinder deletes a volume from. */
const DELETABLE = new Set(['available', 'error']);

/** Forgets volumes whose delete has finished, as Cinder's 404 after `deleting`. */
function sweepVolumes(cloud: FakeCloud): void {
  const now = Date.now();
  for (const v of cloud.volumes.values()) {
    if (v.deletingUntil !== undefined && now >= v.deletingUntil) cloud.volumes.delete(v.id);
  }
}

/**
 * Cinder's `POST /volumes` (202, `creating` for `delays.build` ms) and
 * `DELETE /volumes/{id}` (202, `deleting` for `delays.delete` ms; 400 for an
 * attached or busy volume, Cinder's "Invalid volume" text), as the Block
 * Storage v3 API reference documents them. Undefined for any other route
 * (after forgetting the volumes whose delete finished).
 */
export function cinderWrite(
  cloud: FakeCloud,
  method: string,
  path: string,
  body: unknown,
): Reply | undefined {
  sweepVolumes(cloud);
  const parts = (path.split('?')[0] ?? '').split('/');
  const last = parts.pop() ?? '';
  if (method === 'POST' && last === 'volumes') {
    const spec = (body as { volume?: Record<string, unknown> }).volume ?? {};
    const volume = cloud.addVolume(String(spec.availability_zone ?? 'az-1'));
    volume.name = String(spec.name ?? '');
    volume.size = Number(spec.size ?? 1);
    volume.metadata = { ...(spec.metadata as Record<string, string> | undefined) };
    volume.readyAt = Date.now() + cloud.delays.build;
    return [202, { volume: volumeView(volume, cloud.volumeStatus(volume)) }, reqId()];
  }
  if (method === 'DELETE' && parts.pop() === 'volumes') {
    const volume = cloud.volumes.get(last);
    if (!volume) return [404, faultView('itemNotFound', 404, `Volume ${last} could not be found.`), reqId()];
    const status = cloud.volumeStatus(volume);
    if (!DELETABLE.has(status) || volume.attachments.length > 0 || hasSnapshots(cloud, last)) {
      const message =
        'Invalid volume: Volume status must be available or error or error_restoring or error_extending or ' +
        'error_managing and must not be migrating, attached, belong to a group, have snapshots or be ' +
        'disassociated from snapshots after volume transfer.';
      return [400, faultView('badRequest', 400, message), reqId()];
    }
    volume.deletingUntil = Date.now() + cloud.delays.delete;
    return [202, '', reqId()];
  }
  return undefined;
}
