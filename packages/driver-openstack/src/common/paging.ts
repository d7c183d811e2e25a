import { z } from 'zod';

// How Nova and Cinder page their lists: both answer with `rel: next` links.

/** The links of a paginated Nova or Cinder list (`servers_links`, `volumes_links`). */
export const linksSchema = z.array(z.looseObject({ rel: z.string(), href: z.string() })).optional();

/**
 * The next page's path, from a `rel: next` link. Only the link's query is
 * kept: its host is Nova's own idea of itself, which behind NAT or an
 * endpoint override is not where we reach it.
 */
export function nextPage(
  path: string,
  links: z.infer<typeof linksSchema>,
  count: number,
): string | undefined {
  const next = links?.find((l) => l.rel === 'next');
  if (!next || count === 0) return undefined;
  try {
    return `${path}${new URL(next.href, 'http://placeholder').search}`;
  } catch {
    return undefined;
  }
}

/**
 * The marker of the `rel: next` link (the id of the page's last item), the cursor the
 * broker hands out: a bare id, never a path, so a cursor from outside cannot steer a request.
 */
export function nextMarker(links: z.infer<typeof linksSchema>, count: number): string | undefined {
  const next = links?.find((l) => l.rel === 'next');
  if (!next || count === 0) return undefined;
  try {
    return new URL(next.href, 'http://placeholder').searchParams.get('marker') ?? undefined;
  } catch {
    return undefined;
  }
}

/** `path` with the list's filters, `limit` (when given) and `marker` (after the first page). */
export function pagePath(
  path: string,
  query: URLSearchParams,
  marker: string | undefined,
  limit: number | undefined,
): string {
  const params = new URLSearchParams(query);
  if (limit !== undefined) params.set('limit', String(limit));
  if (marker !== undefined) params.set('marker', marker);
  return params.size > 0 ? `${path}?${params.toString()}` : path;
}
