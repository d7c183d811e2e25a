import type { Server, ServerFilter, Volume, VolumeFilter } from './types.js';

/*
 * The exact meaning of a list filter, checked by every driver on what its
 * cloud returned. Clouds filter loosely (Nova's `name` is a regular
 * expression, some ignore unknown filters), so the cloud's filter only
 * narrows the pages read and this check decides.
 */

/** True when every pair of `wanted` is in `have`. */
export function hasAllPairs(
  have: Readonly<Record<string, string>> | undefined,
  wanted: Readonly<Record<string, string>> | undefined,
): boolean {
  if (wanted === undefined) return true;
  return Object.entries(wanted).every(([key, value]) => have?.[key] === value);
}

/**
 * True when `server` matches `filter`. `idempotencyKey` is the key the
 * server was created with, as the driver reads it (a tag, a client token).
 */
export function serverMatches(server: Server, filter: ServerFilter, idempotencyKey?: string): boolean {
  if (filter.name !== undefined && server.name !== filter.name) return false;
  if (filter.idempotencyKey !== undefined && idempotencyKey !== filter.idempotencyKey) return false;
  if (filter.region !== undefined && server.region !== undefined && server.region !== filter.region)
    return false;
  return hasAllPairs(server.metadata, filter.metadata);
}

/** True when `volume` matches `filter`. */
export function volumeMatches(volume: Volume, filter: VolumeFilter): boolean {
  if (filter.name !== undefined && volume.name !== filter.name) return false;
  if (filter.status !== undefined && volume.status !== filter.status) return false;
  if (filter.serverId !== undefined && !volume.attachments.some((a) => a.serverId === filter.serverId))
    return false;
  if (filter.region !== undefined && volume.region !== undefined && volume.region !== filter.region)
    return false;
  return hasAllPairs(volume.metadata, filter.metadata);
}
