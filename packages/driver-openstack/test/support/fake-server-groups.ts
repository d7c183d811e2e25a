import { createHash, randomUUID } from 'node:crypto';
import type { FakeCloud, FakeServer } from './fake-cloud.js';

/** A fake Nova server group (microversion 2.1 shape: `policies`). */
export interface FakeServerGroup {
  readonly id: string;
  readonly name: string;
  readonly policies: string[];
}

type Reply = [number, unknown, Record<string, string>];
const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}` });

/** Nova's `hostId` (sha224 of project and host), as the API reference describes it. */
export function fakeHostId(projectId: string, host: string | undefined): string {
  return host === undefined
    ? ''
    : createHash('sha224')
        .update(projectId + host)
        .digest('hex');
}

/**
 * The host for a new server among `cloud.hosts` hosts: least loaded; in an
 * anti-affinity group, none a live member holds. Undefined: Nova's NoValidHost.
 */
export function fakePlace(cloud: FakeCloud, groupId: string | undefined): string | undefined {
  const live = [...cloud.servers.values()].filter((s) => s.deletingUntil === undefined && s.host);
  const taken = new Set(
    live.filter((s) => groupId !== undefined && s.groupId === groupId).map((s) => s.host),
  );
  const load = (h: string) => live.filter((s) => s.host === h).length;
  const hosts = Array.from({ length: cloud.hosts }, (_, i) => `compute-${i + 1}`).filter(
    (h) => !taken.has(h),
  );
  return hosts.sort((a, b) => load(a) - load(b))[0];
}

/** `/v2.1/os-server-groups` (list, create, delete), from the API reference's 2.1 examples. */
export function serverGroups(cloud: FakeCloud, method: string, parts: string[], body: unknown): Reply {
  const members = (g: FakeServerGroup) =>
    [...cloud.servers.values()]
      .filter((s: FakeServer) => s.groupId === g.id && s.deletingUntil === undefined)
      .map((s) => s.id);
  const view = (g: FakeServerGroup) => ({
    id: g.id,
    name: g.name,
    policies: g.policies,
    members: members(g),
    metadata: {},
  });
  if (method === 'GET' && parts.length === 2)
    return [200, { server_groups: cloud.groups.map(view) }, reqId()];
  if (method === 'POST' && parts.length === 2) {
    const request = (body as { server_group?: { name?: unknown; policies?: unknown } }).server_group;
    const policies = request?.policies;
    if (typeof request?.name !== 'string' || !Array.isArray(policies) || policies.length !== 1) {
      return [
        400,
        { badRequest: { code: 400, message: 'Invalid input for field/attribute server_group.' } },
        reqId(),
      ];
    }
    const group: FakeServerGroup = { id: randomUUID(), name: request.name, policies: policies.map(String) };
    cloud.groups.push(group);
    return [200, { server_group: view(group) }, reqId()];
  }
  const index = cloud.groups.findIndex((g) => g.id === parts[2]);
  if (index < 0) {
    return [
      404,
      { itemNotFound: { code: 404, message: `Instance group ${parts[2]} could not be found.` } },
      reqId(),
    ];
  }
  if (method === 'DELETE') {
    cloud.groups.splice(index, 1);
    return [204, '', reqId()];
  }
  return [200, { server_group: view(cloud.groups[index] as FakeServerGroup) }, reqId()];
}
