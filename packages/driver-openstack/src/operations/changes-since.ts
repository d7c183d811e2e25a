import type { HttpResponse } from '../http/http-types.js';

/**
 * How far before the cloud's clock of the last answer the next changes list starts. The
 * `since` must be the cloud's own time, never ours: `updated_at` is stamped by the cloud's
 * hosts, and our clock may be off from theirs by any amount. So it is the `Date` header of the
 * last list's first page (the earliest of its pages), less this overlap, which covers:
 * - `Date` is cut to the second (that only moves it earlier, which is safe);
 * - a row is stamped by the host that writes it (nova-compute, cinder-volume) on its own
 *   clock, which NTP keeps close to the API host's but not equal;
 * - a transaction stamps `updated_at` before it commits, so a change committed just after our
 *   list ran can carry a time just before that list's answer.
 * A change listed twice costs nothing (the watch diffs it away as unchanged); a change missed
 * would stay missed until the next resync. So the overlap is generous: 30 s of changes
 * listed again on each tick, against seconds of drift.
 */
export const CHANGES_OVERLAP_MS = 30_000;

/** The cloud's clock at an answer (its `Date` header), or undefined when it sent none. */
export function cloudTimeOf(response: HttpResponse): number | undefined {
  const date = response.headers.get('date');
  if (date === null) return undefined;
  const time = Date.parse(date);
  return Number.isFinite(time) ? time : undefined;
}

/** The `since` the next list starts from, as Nova and Cinder read it (ISO 8601, whole seconds, UTC). */
export function sinceOf(cloudTime: number): string {
  return new Date(Math.floor((cloudTime - CHANGES_OVERLAP_MS) / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** What a changes token holds: the `since` and, for Cinder, the volumes to read again. */
export interface ChangesToken {
  readonly since: string;
  readonly recheck: readonly string[];
}

/** The opaque `next` of a changes list. */
export function encodeToken(token: ChangesToken): string {
  return JSON.stringify([token.since, token.recheck]);
}

/** A `next` given earlier; anything else (which only a bug could pass) asks for a full list. */
export function decodeToken(next: string | undefined): ChangesToken | undefined {
  if (next === undefined) return undefined;
  try {
    const [since, recheck] = JSON.parse(next) as unknown[];
    if (typeof since !== 'string' || Number.isNaN(Date.parse(since)) || !Array.isArray(recheck))
      return undefined;
    return { since, recheck: recheck.filter((id): id is string => typeof id === 'string') };
  } catch {
    return undefined;
  }
}
