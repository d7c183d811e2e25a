import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { abortedError } from '@hybrid-broker/core/driver-kit';

/** A hit of a search: the region that knows the id, and what it returned. */
export interface RegionHit<T> {
  readonly region: string;
  readonly value: T;
}

/** What to search. */
export interface BareIdSearch<T> {
  /** `server` or `volume`, for messages. */
  readonly kind: string;
  readonly id: string;
  /** The request field the id came in. */
  readonly field: string;
  /** Regions that offer the service to ask. */
  readonly regions: readonly string[];
  /** Reads the id in one region; a `not-found` means it is not there. */
  readonly probe: (region: string) => Promise<T>;
  readonly signal?: AbortSignal | undefined;
  /** Reads in flight at once. Default 8. */
  readonly concurrency?: number;
}

/**
 * Finds the region of an id that carries none, by asking each region
 * (a bounded number at a time). Returns the one hit, or undefined when every
 * region says not-found. Two hits are an `invalid-request` (the id is
 * ambiguous); a region that failed otherwise, with no hit elsewhere, makes
 * the search fail with its error, since the id may be there.
 */
export async function searchRegions<T>(search: BareIdSearch<T>): Promise<RegionHit<T> | undefined> {
  const hits: RegionHit<T>[] = [];
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < search.regions.length) {
      if (search.signal?.aborted)
        throw abortedError(search.signal, `searching for ${search.kind} ${search.id}`);
      const region = search.regions[next++] as string;
      try {
        hits.push({ region, value: await search.probe(region) });
      } catch (error) {
        if (isBrokerError(error, 'aborted')) throw error;
        if (!isBrokerError(error, 'not-found')) failures.push(error);
      }
    }
  };
  const workers = Math.max(1, Math.min(search.concurrency ?? 8, search.regions.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (hits.length > 1) {
    throw new BrokerError(
      'invalid-request',
      `${search.field} "${search.id}" names a ${search.kind} in several regions ` +
        `(${hits.map((h) => h.region).join(', ')}); pass "<region>:${search.id}"`,
      { field: search.field },
    );
  }
  const hit = hits[0];
  if (hit) return hit;
  if (failures.length > 0) throw failures[0];
  return undefined;
}
