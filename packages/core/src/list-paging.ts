import type { ReadOptions } from './read-options.js';

/** Options of `listServers`, `listVolumes` and their iterators. */
export interface ListOptions extends ReadOptions {
  /**
   * At most this many results, a positive integer. Pages stop being read once
   * this many are in hand, so a small limit on a large project costs few requests.
   * Default: every match.
   */
  readonly limit?: number;
}

/**
 * Options a driver's page read gets (`listServersPage`, `listVolumesPage`): the
 * call's signal, where the page starts, and how many results the caller still wants.
 */
export interface PageOptions extends ReadOptions {
  /** The `next` of the page before; absent for the first page. Opaque to core. */
  readonly cursor?: string | undefined;
  /**
   * How many results the caller still wants: a hint for the cloud's page size
   * (Nova and Cinder `limit`, EC2 `MaxResults`). A driver may return more or fewer.
   */
  readonly pageSize?: number | undefined;
}

/** One page of a list, as a driver reads it. */
export interface ListPage<T> {
  /** The page's results that match the filter (possibly none, with more pages after). */
  readonly items: readonly T[];
  /** Where the next page starts, passed back as `cursor`; absent on the last page. */
  readonly next?: string | undefined;
}
