import type { RouteTable } from '../route-table.js';
import {
  type SimContext,
  SimError,
  type SimReply,
  type SimRequestHead,
  type SimRoute,
  type SimService,
} from '../service.js';
import { INTERFACE_PREFIXES } from './catalog.js';
import { keystoneChallenge, novaStyleError, UNAUTHORIZED_MESSAGE } from './fault-body.js';
import { type MicroversionRange, microversionHeaders, requestedMinor } from './microversion.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { Region } from './regions.js';
import type { TokenRecord } from './tokens.js';

/** Which catalog service a request addresses: picks the region capability it needs. */
export type EndpointRoot = 'compute' | 'volume' | 'image';

/** An authenticated request inside one region and project. */
export interface Scope {
  readonly token: TokenRecord;
  readonly region: Region;
  /** The project of the URL (equal to the token's). */
  readonly projectId: string;
  /** The endpoint URL up to the project (or version for Glance), for links. */
  readonly base: string;
}

/** A handler that runs only for an authenticated, in-scope request. */
export type ScopedHandler = (ctx: SimContext, scope: Scope) => SimReply | Promise<SimReply>;

const PREFIXES = [INTERFACE_PREFIXES.internal, INTERFACE_PREFIXES.admin];

/**
 * Wraps a route table as a service under `/<root>/...`, also reachable below the
 * internal/admin interface prefixes (those keep their prefix in the count key).
 */
export function createEndpointService(options: {
  name: string;
  root: EndpointRoot;
  table: RouteTable;
  versions?: MicroversionRange;
}): SimService {
  const { root, table, versions } = options;
  return {
    name: options.name,
    match(req: SimRequestHead) {
      let path = req.path;
      let prefix = '';
      for (const p of PREFIXES) {
        if (path.startsWith(`${p}/`)) {
          prefix = p;
          path = path.slice(p.length);
        }
      }
      if (!path.startsWith(`/${root}/`)) return undefined;
      const route =
        table.match(req.method, path, prefix) ?? methodNotAllowed(table, req.method, path, prefix);
      if (!route || !versions) return route;
      // An unsupported or malformed microversion fails every call, as in Nova and Cinder.
      return {
        ...route,
        handle: (ctx) => {
          requestedMinor(ctx.headers, versions);
          return route.handle(ctx);
        },
      };
    },
    formatError: novaStyleError,
    errorHeaders: keystoneChallenge,
    ...(versions
      ? { responseHeaders: (req: SimRequestHead) => microversionHeaders(req.headers, versions) }
      : {}),
  };
}

/**
 * Makes a handler require a valid token whose project is the URL's, in a region that
 * offers `root`. Unknown region or service: 404; bad token: 401; other project: 400.
 */
export function scoped(os: OpenStackSim, root: EndpointRoot, handler: ScopedHandler) {
  return (ctx: SimContext): SimReply | Promise<SimReply> => {
    const region = os.regions.get(ctx.params.region ?? '');
    if (!region || !offers(region, root)) throw new SimError(404, 'The resource could not be found.');
    const header = ctx.headers['x-auth-token'];
    const token = os.tokens.valid(typeof header === 'string' ? header : undefined);
    if (!token?.project) throw new SimError(401, UNAUTHORIZED_MESSAGE);
    const projectId = ctx.params.project ?? token.project.id;
    if (projectId !== token.project.id) {
      throw new SimError(
        400,
        `Malformed request URL: URL's project_id '${projectId}' doesn't match Context's project_id '${token.project.id}'`,
      );
    }
    return handler(ctx, { token, region, projectId, base: baseOf(ctx, root) });
  };
}

/** Nova and Cinder answer 405 `badMethod` for a known resource under an unsupported method. */
function methodNotAllowed(
  table: RouteTable,
  method: string,
  path: string,
  prefix: string,
): SimRoute | undefined {
  const pattern = table.patternOf(path);
  if (pattern === undefined) return undefined;
  return {
    key: `${method} ${prefix}${pattern}`,
    params: {},
    handle: () => {
      throw new SimError(405, 'The method specified is not allowed for this resource.');
    },
  };
}

function offers(region: Region, root: EndpointRoot): boolean {
  return root === 'compute' ? region.compute : root === 'volume' ? region.volume !== false : region.image;
}

/** `origin + [prefix] + /root/region/version[/project]` taken from the request path. */
function baseOf(ctx: SimContext, root: EndpointRoot): string {
  const segments = ctx.path.split('/');
  const at = segments.indexOf(root);
  const keep = root === 'image' ? 3 : 4;
  return ctx.origin + segments.slice(0, at + keep).join('/');
}
