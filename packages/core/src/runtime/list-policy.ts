import type { PlatformDriver, ReadOptions } from '../driver.js';
import { BrokerError } from '../errors.js';
import type { ListOptions, ListPage, PageOptions } from '../list-paging.js';
import { validateRequest } from '../request-schemas.js';
import type { Server, ServerFilter, Volume, VolumeFilter } from '../types.js';
import { requestChecks } from './validation-policy.js';

/*
 * The list loops, written once for every driver: a list with `limit` reads pages until
 * enough are in hand, and an iterator reads one page per step. A driver supplies only a
 * page read (`listServersPage`, `listVolumesPage`), as gophercloud's pager and the AWS SDK's
 * paginators take one request function; a driver without one falls back to its full list.
 */

// A cloud that keeps handing out cursors must not keep a bounded list reading forever.
const MAX_PAGES = 10_000;

/** How the runtime reads one kind of list of one driver. */
export interface ListSource<F, T> {
  readonly what: 'servers' | 'volumes';
  readonly kind: string;
  readonly validate: (filter: unknown) => F;
  readonly list: ((filter: F, options?: ReadOptions) => Promise<readonly T[]>) | undefined;
  readonly page: ((filter: F, options: PageOptions) => Promise<ListPage<T>>) | undefined;
}

/** The runtime's read: one call with its deadline, events and secret scrubbing. */
export type ReadCall = <R>(
  operation: string,
  options: ReadOptions | undefined,
  request: unknown,
  body: (options: ReadOptions | undefined) => Promise<R>,
) => Promise<R>;

/** The two list sources of `driver`, its methods bound. */
export function listSources(driver: PlatformDriver): {
  servers: ListSource<ServerFilter, Server>;
  volumes: ListSource<VolumeFilter, Volume>;
} {
  return {
    servers: {
      what: 'servers',
      kind: driver.kind,
      validate: validateRequest.serverFilter,
      list: driver.listServers?.bind(driver),
      page: driver.listServersPage?.bind(driver),
    },
    volumes: {
      what: 'volumes',
      kind: driver.kind,
      validate: validateRequest.volumeFilter,
      list: driver.listVolumes?.bind(driver),
      page: driver.listVolumesPage?.bind(driver),
    },
  };
}

/** `options.limit`, checked: a positive integer, or absent. */
export function checkLimit(options: ListOptions | undefined): number | undefined {
  const limit = options?.limit;
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new BrokerError('invalid-request', 'limit must be a positive integer', { field: 'limit' });
  }
  return limit;
}

/** The page read's options: the call's signal, the cursor and the size still wanted. */
function pageOptions(o: ReadOptions | undefined, cursor: string | undefined, left: number | undefined) {
  return { signal: o?.signal, cursor, pageSize: left };
}

/**
 * A whole list, or its first `limit` results, in one call under one deadline. Pages are read
 * only when there is a limit to stop at (or no full list): without one, the driver's own full
 * list is the cheapest way to every result.
 */
export function listAll<F, T>(
  source: ListSource<F, T>,
  read: ReadCall,
  filter: unknown,
  options: ListOptions | undefined,
): Promise<readonly T[]> {
  const operation = source.what === 'servers' ? 'listServers' : 'listVolumes';
  return read(operation, options, filter, async (o) => {
    const valid = source.validate(filter);
    const limit = checkLimit(options);
    const page = source.page;
    if (page && (limit !== undefined || !source.list)) {
      const found: T[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < MAX_PAGES; n++) {
        const left = limit === undefined ? undefined : limit - found.length;
        const got = await page(valid, pageOptions(o, cursor, left));
        found.push(...got.items);
        cursor = got.next;
        if (cursor === undefined || (limit !== undefined && found.length >= limit)) break;
      }
      return limit === undefined ? found : found.slice(0, limit);
    }
    const all = await requestChecks.lister(source.list, source.kind, source.what)(valid, o);
    // A driver's full list knows no limit; cut here, so the caller's limit always holds.
    return limit === undefined ? all : all.slice(0, limit);
  });
}

/**
 * The results one by one, reading a page only when the last one is used up: each page read
 * is a call of its own (its own deadline, events and scrubbing), and a consumer that stops
 * iterating sends no further request. Bad input rejects the first step.
 */
export async function* iterateAll<F, T>(
  source: ListSource<F, T>,
  read: ReadCall,
  filter: unknown,
  options: ListOptions | undefined,
): AsyncGenerator<T, void, undefined> {
  const page = source.page;
  if (!page) {
    // The fallback for a driver without page reads: one full list, handed out one by one.
    yield* await listAll(source, read, filter, options);
    return;
  }
  const operation = source.what === 'servers' ? 'iterateServers' : 'iterateVolumes';
  let limit: number | undefined;
  let taken = 0;
  let cursor: string | undefined;
  do {
    const got = await read(operation, options, filter, (o) => {
      const valid = source.validate(filter);
      limit = checkLimit(options);
      return page(valid, pageOptions(o, cursor, limit === undefined ? undefined : limit - taken));
    });
    for (const item of got.items) {
      if (limit !== undefined && taken >= limit) return;
      taken++;
      yield item;
    }
    cursor = got.next;
  } while (cursor !== undefined && (limit === undefined || taken < limit));
}

/** A driver's page read as a call of the runtime's, its filter validated; none without one. */
export function pageCall<F, T>(
  read: ReadCall,
  source: ListSource<F, T>,
): ((filter: F, options: PageOptions) => Promise<ListPage<T>>) | undefined {
  const page = source.page;
  if (!page) return undefined;
  const operation = source.what === 'servers' ? 'listServersPage' : 'listVolumesPage';
  return (filter, options) =>
    read(operation, options, filter, (o) => page(source.validate(filter), { ...options, signal: o?.signal }));
}
