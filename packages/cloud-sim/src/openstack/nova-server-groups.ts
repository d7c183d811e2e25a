import type { RouteTable } from '../route-table.js';
import { type SimContext, SimError } from '../service.js';
import { isObject, objectField } from './json-fields.js';
import { COMPUTE_VERSIONS, requestedMinor } from './microversion.js';
import { type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { ServerGroupRecord } from './state.js';

const GROUPS = '/compute/{region}/v2.1/{project}/os-server-groups';
const POLICIES = ['anti-affinity', 'affinity'];
const SOFT_POLICIES = ['soft-anti-affinity', 'soft-affinity']; // from 2.15

/** Registers Nova's `/os-server-groups`: list (limit, offset), create, show, delete. */
export function addServerGroupRoutes(table: RouteTable, os: OpenStackSim): void {
  table
    .add(
      'GET',
      GROUPS,
      scoped(os, 'compute', (ctx, scope) => {
        const all = groupsOf(os, scope);
        const offset = intParam(ctx, 'offset') ?? 0;
        const limit = Math.min(intParam(ctx, 'limit') ?? 1000, 1000);
        const page = all.slice(offset, offset + limit);
        return { status: 200, body: { server_groups: page.map((g) => groupView(os, g, ctx)) } };
      }),
    )
    .add(
      'POST',
      GROUPS,
      scoped(os, 'compute', (ctx, scope) => {
        const { name, policy } = parseCreate(ctx);
        const group: ServerGroupRecord = {
          id: os.random.uuid(),
          name,
          region: scope.region.name,
          projectId: scope.projectId,
          userId: scope.token.user.id,
          policy,
        };
        os.state.serverGroups.set(group.id, group);
        // Nova answers a group create with 200, not 201/202.
        return { status: 200, body: { server_group: groupView(os, group, ctx) } };
      }),
    )
    .add(
      'GET',
      `${GROUPS}/{id}`,
      scoped(os, 'compute', (ctx, scope) => ({
        status: 200,
        body: { server_group: groupView(os, findGroup(os, scope, ctx.params.id), ctx) },
      })),
    )
    .add(
      'DELETE',
      `${GROUPS}/{id}`,
      scoped(os, 'compute', (ctx, scope) => {
        os.state.serverGroups.delete(findGroup(os, scope, ctx.params.id).id);
        return { status: 204 };
      }),
    );
}

/** The group of this scope, or Nova's 404. */
export function findGroup(os: OpenStackSim, scope: Scope, id: string | undefined): ServerGroupRecord {
  const group = os.state.serverGroups.get(id ?? '');
  if (!group || group.region !== scope.region.name || group.projectId !== scope.projectId) {
    throw new SimError(404, `Instance group ${id} could not be found.`);
  }
  return group;
}

/** The project's groups in creation order (Nova lists them by their database id). */
function groupsOf(os: OpenStackSim, scope: Scope): ServerGroupRecord[] {
  return [...os.state.serverGroups.values()].filter(
    (g) => g.region === scope.region.name && g.projectId === scope.projectId,
  );
}

/** Live members: servers created in the group and not deleted (Nova drops a member on delete). */
function membersOf(os: OpenStackSim, group: ServerGroupRecord): string[] {
  return [...os.state.servers.values()]
    .filter((s) => s.serverGroupId === group.id && s.status !== 'DELETED')
    .map((s) => s.id);
}

/** A group as Nova shows it at the request's microversion: `policies` and `metadata` up to 2.63, `policy` and `rules` from 2.64. */
function groupView(os: OpenStackSim, group: ServerGroupRecord, ctx: SimContext): unknown {
  const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
  const view: Record<string, unknown> = { id: group.id, name: group.name };
  if (mv >= 64) {
    view.policy = group.policy;
    view.rules = {};
  } else {
    view.policies = [group.policy];
  }
  view.members = membersOf(os, group);
  if (mv < 64) view.metadata = {};
  if (mv >= 13) {
    view.project_id = group.projectId;
    view.user_id = group.userId;
  }
  return view;
}

function parseCreate(ctx: SimContext): { name: string; policy: string } {
  const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
  const body = objectField(ctx.json(), 'server_group');
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name) {
    throw new SimError(400, "Invalid input for field/attribute name. Value: ... is not a valid 'name'");
  }
  const allowed = mv >= 15 ? [...POLICIES, ...SOFT_POLICIES] : POLICIES;
  if (mv >= 64) {
    if ('policies' in body) {
      throw new SimError(
        400,
        "Invalid input for field/attribute server_group. Additional properties are not allowed ('policies' was unexpected)",
      );
    }
    if (typeof body.policy !== 'string' || !allowed.includes(body.policy)) {
      throw new SimError(
        400,
        `Invalid input for field/attribute policy. Value: ${String(body.policy)}. '${String(body.policy)}' is not one of ${JSON.stringify(allowed)}`,
      );
    }
    if (body.rules !== undefined && !isObject(body.rules)) {
      throw new SimError(400, 'Invalid input for field/attribute rules.');
    }
    return { name, policy: body.policy };
  }
  if ('policy' in body) {
    throw new SimError(
      400,
      "Invalid input for field/attribute server_group. Additional properties are not allowed ('policy' was unexpected)",
    );
  }
  const policies = body.policies;
  if (
    !Array.isArray(policies) ||
    policies.length !== 1 ||
    typeof policies[0] !== 'string' ||
    !allowed.includes(policies[0])
  ) {
    throw new SimError(
      400,
      `Invalid input for field/attribute policies. Value: ${JSON.stringify(policies)}.`,
    );
  }
  return { name, policy: policies[0] };
}

function intParam(ctx: SimContext, key: string): number | undefined {
  const text = ctx.query.get(key);
  if (text === null) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new SimError(400, `Invalid input for query parameters ${key}.`);
  return n;
}
