import type { ListPage, PageOptions } from '../list-paging.js';

// A page when the caller names no size: small, so that paging is exercised in tests.
const DEFAULT_PAGE_SIZE = 100;

/**
 * One page of `all` (the matches, in the cloud's order). The cursor is the offset of the
 * page's first result: a result made or deleted between pages may shift the rest by one,
 * as with any cloud's marker that is not a snapshot.
 */
export function pageOf<T>(all: readonly T[], options: PageOptions): ListPage<T> {
  const start = options.cursor === undefined ? 0 : Number.parseInt(options.cursor, 10) || 0;
  const size = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const end = start + size;
  return { items: all.slice(start, end), next: end < all.length ? String(end) : undefined };
}
