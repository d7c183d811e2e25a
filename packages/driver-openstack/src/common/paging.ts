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
