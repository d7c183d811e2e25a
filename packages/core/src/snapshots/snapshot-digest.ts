import { checkSameDigest, digestOfFields } from '../request-digest.js';
import type { CreateSnapshotRequest } from './snapshot-types.js';

/** The fields that define a createSnapshot request, as strings (only those given). */
function createSnapshotFields(request: CreateSnapshotRequest): Record<string, string> {
  const out: Record<string, string> = { volumeId: request.volumeId, name: request.name };
  if (request.force !== undefined) out.force = String(request.force);
  if (request.metadata !== undefined) {
    // in key order: the same pairs given in another order are the same request
    out.metadata = JSON.stringify(Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return out;
}

/** The digest of a createSnapshot request, stored beside the key marker under `REQUEST_DIGEST_KEY`. */
export function createSnapshotDigest(request: CreateSnapshotRequest): string {
  return digestOfFields(createSnapshotFields(request));
}

/**
 * Refuses a createSnapshot that reuses `key` for a different request: `conflict`
 * naming the key and the fields that differ, as createVolume refuses it.
 */
export function checkSameSnapshotCreate(
  key: string,
  stored: string | undefined,
  request: CreateSnapshotRequest,
): void {
  checkSameDigest(key, stored, createSnapshotDigest(request), 'createSnapshot');
}

/** A snapshot matches a filter when every field given matches. */
export function snapshotMatches(
  snapshot: { readonly volumeId: string; readonly metadata: Readonly<Record<string, string>> },
  filter: { readonly volumeId?: string; readonly metadata?: Readonly<Record<string, string>> },
): boolean {
  if (filter.volumeId !== undefined && snapshot.volumeId !== filter.volumeId) return false;
  return Object.entries(filter.metadata ?? {}).every(([k, v]) => snapshot.metadata[k] === v);
}
