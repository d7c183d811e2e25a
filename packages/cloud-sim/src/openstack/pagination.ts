import { SimError } from '../service.js';

/** Nova's and Cinder's default `osapi_max_limit`. */
export const MAX_LIMIT = 1000;

/** One page of a listing and the `next` link, if the page was full. */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | undefined;
}

/**
 * Applies `limit` and `marker` (the id of the last item already seen). As Nova and Cinder
 * do, a full page carries a `next` link even when nothing follows; the client stops on a
 * short or empty page.
 *
 * @param baseHref the collection URL the next link is built on (other query params kept)
 * @param markerMessage the 400 message when the marker is unknown
 */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  query: URLSearchParams,
  baseHref: string,
  markerMessage: (marker: string) => string,
): Page<T> {
  const limitText = query.get('limit');
  let limit = MAX_LIMIT;
  if (limitText !== null) {
    const n = Number(limitText);
    if (!Number.isInteger(n)) throw new SimError(400, 'limit param must be an integer');
    if (n < 0) throw new SimError(400, 'limit param must be positive');
    limit = Math.min(n, MAX_LIMIT);
  }
  let start = 0;
  const marker = query.get('marker');
  if (marker !== null) {
    const index = all.findIndex((item) => item.id === marker);
    if (index < 0) throw new SimError(400, markerMessage(marker));
    start = index + 1;
  }
  const items = all.slice(start, start + limit);
  const last = items[items.length - 1];
  if (!last || items.length < limit) return { items, next: undefined };
  const params = new URLSearchParams(query);
  params.set('limit', String(limit));
  params.set('marker', last.id);
  return { items, next: `${baseHref}?${params.toString()}` };
}
