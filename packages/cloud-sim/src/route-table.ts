import type { SimContext, SimReply, SimRoute } from './service.js';

/** A route handler. */
export type RouteHandler = (ctx: SimContext) => SimReply | Promise<SimReply>;

interface CompiledRoute {
  readonly method: string;
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

/**
 * A method + path-pattern table. Patterns use `{name}` for one path segment:
 * `/servers/{id}`. The pattern itself becomes the count key, so ids never split counts.
 */
export class RouteTable {
  readonly #routes: CompiledRoute[] = [];

  /** Registers a route; earlier routes win, so add literal paths before `{placeholder}` ones. */
  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({ method, pattern, segments: split(pattern), handler });
    return this;
  }

  /**
   * Finds the route for `method` and `path`. `keyPrefix` is prepended to the pattern in
   * the key (used for the internal/admin endpoint prefixes).
   */
  match(method: string, path: string, keyPrefix = ''): SimRoute | undefined {
    const parts = split(path);
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params = bind(route.segments, parts);
      if (params) return { key: `${method} ${keyPrefix}${route.pattern}`, params, handle: route.handler };
    }
    return undefined;
  }

  /** The pattern of the first route with this path under any method (to answer 405 rather than 404). */
  patternOf(path: string): string | undefined {
    const parts = split(path);
    const route = this.#routes.find(
      (r) => r.segments.length === parts.length && bind(r.segments, parts) !== undefined,
    );
    return route?.pattern;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function bind(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = parts[i] as string;
    if (want.startsWith('{') && want.endsWith('}')) {
      const value = safeDecode(got);
      if (value === undefined) return undefined;
      params[want.slice(1, -1)] = value;
    } else if (want !== got) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
