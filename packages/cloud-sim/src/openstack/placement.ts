import { createHash } from 'node:crypto';
import type { OpenStackSim } from './openstack-sim.js';

/**
 * Nova's `hostId`: sha224 of the project id and the host name, so one host
 * shows the same id to a project and different ids to different projects.
 */
export function novaHostId(projectId: string, host: string): string {
  return createHash('sha224')
    .update(projectId + host)
    .digest('hex');
}

/** The compute hosts of a zone: `<zone>-compute-1` ... (`sim.openstack.nova.computeHostsPerZone`). */
export function hostsOf(os: OpenStackSim, zone: string): string[] {
  return Array.from({ length: os.nova.computeHostsPerZone }, (_, i) => `${zone}-compute-${i + 1}`);
}

/**
 * The scheduler: the least loaded host of the zone; in an `anti-affinity`
 * group, only hosts no live member is on (Nova's ServerGroupAntiAffinityFilter);
 * in an `affinity` group, the members' host. Null when no host passes
 * (Nova then puts the server in ERROR with "No valid host was found").
 */
export function placeServer(
  os: OpenStackSim,
  region: string,
  zone: string,
  groupId: string | undefined,
): string | null {
  const load = new Map(hostsOf(os, zone).map((h) => [h, 0]));
  const groupHosts = new Set<string>();
  for (const s of os.state.servers.values()) {
    if (s.region !== region || s.status === 'DELETED' || s.host === null) continue;
    if (load.has(s.host)) load.set(s.host, (load.get(s.host) ?? 0) + 1);
    if (groupId !== undefined && s.serverGroupId === groupId) groupHosts.add(s.host);
  }
  const policy = groupId === undefined ? undefined : os.state.serverGroups.get(groupId)?.policy;
  const candidates = [...load.entries()].filter(([host]) =>
    policy === 'anti-affinity'
      ? !groupHosts.has(host)
      : policy === 'affinity' && groupHosts.size > 0
        ? groupHosts.has(host)
        : true,
  );
  candidates.sort((a, b) => a[1] - b[1]);
  return candidates[0]?.[0] ?? null;
}
