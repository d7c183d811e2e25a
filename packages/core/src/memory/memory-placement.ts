import { BrokerError } from '../errors.js';
import type { MemoryServerRecord } from './memory-state.js';

/**
 * The host a new server goes to, among `host-1`...`host-<hosts>`. Without a
 * group: the least loaded host. With one: the least loaded host no live member
 * of the group is on; when every host has one, `placement-failed` before any
 * server is made (as EC2 refuses a RunInstances it cannot place), so a repeat
 * finds nothing half-made and fails the same way until a member is deleted.
 */
export function pickHost(
  servers: Iterable<MemoryServerRecord>,
  hosts: number,
  group: string | undefined,
): string {
  const load = new Map<string, number>();
  const taken = new Set<string>();
  for (let i = 1; i <= hosts; i++) load.set(`host-${i}`, 0);
  for (const server of servers) {
    if (server.deletingSince !== undefined || server.host === undefined) continue;
    load.set(server.host, (load.get(server.host) ?? 0) + 1);
    if (group !== undefined && server.antiAffinityGroup === group) taken.add(server.host);
  }
  const free = [...load.entries()].filter(([host]) => !taken.has(host)).sort((a, b) => a[1] - b[1]);
  const host = free[0]?.[0];
  if (host === undefined) {
    throw new BrokerError(
      'placement-failed',
      `anti-affinity group "${group}" already has a member on each of the ${hosts} hosts`,
      { providerCode: 'NoValidHost' },
    );
  }
  return host;
}
