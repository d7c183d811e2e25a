/**
 * Matches a fault rule's path pattern against a request.
 *
 * Segments: a literal must equal the request's segment; `*` matches any one segment;
 * `{name}` matches a segment the route itself treats as a placeholder (so
 * `/servers/{id}` hits `/servers/abc` but not `/servers/detail`); a trailing `**`
 * matches the rest. A route key's path (`/compute/{region}/v2.1/{project}/servers/{id}`)
 * is therefore a valid pattern for exactly that route.
 *
 * @param pattern the rule's path pattern
 * @param path the request path
 * @param routePattern the matched route's pattern (the key without the method), if routed
 */
export function pathMatches(pattern: string, path: string, routePattern: string | undefined): boolean {
  const want = segments(pattern);
  const got = segments(path);
  const route = routePattern === undefined ? undefined : segments(routePattern);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    if (w === '**' && i === want.length - 1) return true;
    const g = got[i];
    if (g === undefined) return false;
    if (w === '*') continue;
    if (isPlaceholder(w)) {
      const r = route?.[i];
      if (r === undefined || isPlaceholder(r)) continue;
      return false;
    }
    if (w !== g && w !== route?.[i]) return false;
  }
  return want.length === got.length;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function isPlaceholder(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}
