import type { Snapshot, SnapshotStatus } from '@hybrid-broker/core';
import type { CinderSnapshot } from '../cinder/cinder-snapshot-client.js';

/** Cinder's snapshot statuses, normalized; an unknown one reads as `error`. */
const STATUS: Readonly<Record<string, SnapshotStatus>> = {
  creating: 'creating',
  available: 'available',
  // a backup or a volume made from it reads the snapshot; it stays usable
  'backing-up': 'available',
  restoring: 'available',
  deleting: 'deleting',
  unmanaging: 'deleting',
  deleted: 'deleting',
  error: 'error',
  error_deleting: 'error',
};

/**
 * Cinder's times carry no zone (`2013-02-25T02:40:21.000000`) and are UTC; read without
 * a zone, `Date.parse` would take them as local time.
 */
function utc(time: string | null | undefined): string {
  if (!time) return new Date(0).toISOString();
  return /[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`;
}

/** The normalized snapshot; `region` prefixes nothing here (cascading wraps the id). */
export function toSnapshot(s: CinderSnapshot): Snapshot {
  const progress = Number.parseInt(s['os-extended-snapshot-attributes:progress'] ?? '', 10);
  return {
    id: s.id,
    volumeId: s.volume_id,
    ...(s.name ? { name: s.name } : {}),
    sizeGiB: s.size,
    status: STATUS[s.status] ?? 'error',
    ...(Number.isNaN(progress) ? {} : { progress }),
    createdAt: utc(s.created_at),
    metadata: { ...s.metadata },
    providerStatus: s.status,
  };
}
