import type { RouteTable } from '../route-table.js';
import { type SimContext, SimError } from '../service.js';
import { changesSinceOf } from './changes-filters.js';
import { COMPUTE_VERSIONS, requestedMinor } from './microversion.js';
import { powerAction } from './nova-power.js';
import { findGroup } from './nova-server-groups.js';
import { parseServerCreate } from './nova-server-request.js';
import { novaLinks, serverView } from './nova-views.js';
import { type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import { paginate } from './pagination.js';
import { placeServer } from './placement.js';
import { createServerRecord } from './server-factory.js';
import type { ServerRecord } from './state.js';

const SERVERS = '/compute/{region}/v2.1/{project}/servers';

/** Registers Nova's server routes: create, list (summary and detail), show, delete, actions. */
export function addServerRoutes(table: RouteTable, os: OpenStackSim): void {
  table
    .add(
      'GET',
      SERVERS,
      scoped(os, 'compute', (ctx, scope) => list(os, ctx, scope, false)),
    )
    .add(
      'GET',
      `${SERVERS}/detail`,
      scoped(os, 'compute', (ctx, scope) => list(os, ctx, scope, true)),
    )
    .add(
      'POST',
      SERVERS,
      scoped(os, 'compute', (ctx, scope) => create(os, ctx, scope)),
    )
    .add(
      'GET',
      `${SERVERS}/{id}`,
      scoped(os, 'compute', (ctx, scope) => {
        const server = findServer(os, scope, ctx.params.id);
        return { status: 200, body: { server: view(os, server, ctx, scope) } };
      }),
    )
    .add(
      'DELETE',
      `${SERVERS}/{id}`,
      scoped(os, 'compute', (ctx, scope) => {
        const server = findServer(os, scope, ctx.params.id);
        os.lifecycle.deleteServer(server, ctx.transition);
        return { status: 204 };
      }),
    )
    .add(
      'POST',
      `${SERVERS}/{id}/action`,
      scoped(os, 'compute', (ctx, scope) => action(os, ctx, scope)),
    );
}

/** The server of this scope, or Nova's 404. Deleted servers are gone once their delay passed. */
export function findServer(os: OpenStackSim, scope: Scope, id: string | undefined): ServerRecord {
  const server = os.state.server(scope.region.name, scope.projectId, id ?? '');
  if (!server) throw new SimError(404, `Instance ${id} could not be found.`);
  return server;
}

function view(os: OpenStackSim, server: ServerRecord, ctx: SimContext, scope: Scope): unknown {
  return serverView(
    server,
    os.flavor(server.flavorId),
    scope.base,
    requestedMinor(ctx.headers, COMPUTE_VERSIONS),
  );
}

function create(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
  const body = ctx.json();
  const req = parseServerCreate(body, os, scope.region, mv);
  const group = schedulerGroup(os, scope, body);
  const host = placeServer(os, scope.region.name, req.availabilityZone, group);
  const server = createServerRecord(os, {
    host,
    ...(group === undefined ? {} : { serverGroupId: group }),
    region: scope.region.name,
    projectId: scope.projectId,
    userId: scope.token.user.id,
    availabilityZone: req.availabilityZone,
    name: req.name,
    imageId: req.imageId,
    flavorId: req.flavorId,
    networks: req.networks.filter((n) => n !== 'none'),
    metadata: req.metadata,
    keyName: req.keyName,
    userData: req.userData,
    securityGroups: req.securityGroups,
  });
  // No host passes the filters: Nova accepts the create, then the server goes to ERROR (NoValidHost).
  os.lifecycle.build(server, host === null ? { outcome: 'error' } : ctx.transition);
  const links = novaLinks(scope.base, 'servers', server.id);
  return {
    status: 202,
    headers: { location: links[0]?.href ?? '' },
    body: {
      server: {
        id: server.id,
        links,
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: server.securityGroups.map((name) => ({ name })),
        adminPass: os.random.hex(6),
      },
    },
  };
}

function list(os: OpenStackSim, ctx: SimContext, scope: Scope, detail: boolean) {
  const status = ctx.query.get('status')?.toUpperCase();
  const name = ctx.query.get('name');
  const pattern = name === null ? undefined : safeRegExp(name);
  const since = changesSinceOf(ctx.query.get('changes-since'));
  const all = serversListed(os, scope, since)
    .filter((s) => (status ? s.status === status : since !== undefined || s.status !== 'DELETED'))
    .filter((s) => !pattern || pattern.test(s.name));
  const page = paginate(
    all,
    ctx.query,
    `${scope.base}/servers${detail ? '/detail' : ''}`,
    (m) => `marker [${m}] not found`,
  );
  const servers = page.items.map((s) =>
    detail
      ? view(os, s, ctx, scope)
      : { id: s.id, name: s.name, links: novaLinks(scope.base, 'servers', s.id) },
  );
  const body: Record<string, unknown> = { servers };
  if (page.next) body.servers_links = [{ rel: 'next', href: page.next }];
  return { status: 200, headers: { date: new Date(os.now()).toUTCString() }, body };
}

/**
 * The servers a list shows, newest first. With `changes-since`, only those whose `updated_at`
 * is at or after it, and the deleted ones Nova still keeps (status DELETED), as Nova does.
 */
function serversListed(os: OpenStackSim, scope: Scope, since: number | undefined) {
  const live = os.state.serversOf(scope.region.name, scope.projectId).reverse();
  if (since === undefined) return live;
  const gone = os.state.deletedServers.of(scope.region.name, scope.projectId, os.now());
  return [...live, ...gone].filter((s) => s.updated >= since).sort((a, b) => b.created - a.created);
}

/** `os-stop`, `os-start` and `reboot` (nova-power.ts), each taking serverPowerMs. */
function action(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const server = findServer(os, scope, ctx.params.id);
  const body = ctx.json();
  const name = body && typeof body === 'object' ? Object.keys(body)[0] : undefined;
  if (name !== 'os-stop' && name !== 'os-start' && name !== 'reboot')
    throw new SimError(400, `There is no such action: ${name}`);
  powerAction(os, server, name, body);
  return { status: 202 };
}

function safeRegExp(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

/** The server group of `os:scheduler_hints.group`, checked as Nova does (a uuid of an existing group). */
function schedulerGroup(os: OpenStackSim, scope: Scope, body: unknown): string | undefined {
  const hints =
    body && typeof body === 'object' ? (body as Record<string, unknown>)['os:scheduler_hints'] : undefined;
  if (hints === undefined) return undefined;
  const group = hints && typeof hints === 'object' ? (hints as Record<string, unknown>).group : undefined;
  if (group === undefined) return undefined;
  if (typeof group !== 'string' || !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(group)) {
    throw new SimError(
      400,
      `Invalid input for field/attribute group. Value: ${String(group)}. '${String(group)}' is not a 'uuid'`,
    );
  }
  try {
    return findGroup(os, scope, group).id;
  } catch {
    throw new SimError(
      400,
      `Invalid input for field/attribute group. Server group ${group} could not be found.`,
    );
  }
}
