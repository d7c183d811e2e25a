// The testkit fixtures on a real cloud: everything but a build that fails on demand.
import type { ContractFixtures } from '@hybrid-broker/testkit';
import type { RealCloud } from './real-cloud.js';

/**
 * Fixtures over `cloud`. `setVolumeStatus` uses Cinder's admin os-reset_status: "error" is a real
 * error status; "stuck" is `detaching`, which no service will move on from by itself, so a wait
 * on it runs to its deadline. `failNextBuild` is left out: a real cloud's next boot cannot be made
 * to fail, so that case is reported skipped. `toDriverId` maps Cinder's id to the driver's
 * (the cascading driver prefixes the region).
 */
export async function contractFixtures(
  cloud: RealCloud,
  createVolume: (zone: string) => Promise<string>,
  fromDriverId: (id: string) => string = (id) => id,
): Promise<ContractFixtures> {
  const info = cloud.info;
  const zone = info.mode === 'local' ? info.state.computeZone : info.zone;
  const otherZone = info.mode === 'local' ? info.state.volumeZones.find((z) => z !== zone) : info.otherZone;
  const networks = info.mode === 'staging' && info.network ? [info.network] : [];
  return {
    image: await cloud.image(),
    flavor: await cloud.flavor(),
    availabilityZone: zone,
    ...(otherZone ? { otherAvailabilityZone: otherZone } : {}),
    networks,
    createVolume,
    antiAffinity: {
      // The local stack has one compute host: a second member of a group is Nova's NoValidHost.
      ...(info.mode === 'local' ? { capacity: 1 } : {}),
      countGroups: async (name: string) =>
        (await cloud.call('compute', 'GET', '/os-server-groups')).body.server_groups.filter(
          (g: { name: string }) => g.name === name,
        ).length,
    },
    ...(cloud.admin
      ? {
          setVolumeStatus: async (volumeId: string, status: 'error' | 'stuck') =>
            cloud.resetStatus(fromDriverId(volumeId), status === 'error' ? 'error' : 'detaching'),
        }
      : {}),
  };
}

/**
 * Contract cases the local Zed stack cannot express, with the reason the runner reports.
 * The stack has one compute host, in zone `nova`; `az2` is a Cinder zone only, so no
 * server can be made in the other zone.
 */
export const LOCAL_STACK_SKIPS = [
  {
    name: 'moveVolume to a server in another zone is refused before anything is detached',
    reason:
      "the local stack's only compute zone is nova (az2 is a Cinder zone alone): no server can be made in the other zone",
  },
  ...[
    'servers created with one antiAffinityGroup land on different hosts',
    'a create repeated with the same key and group converges: one server, one group, from either broker',
  ].map((name) => ({
    name,
    reason:
      'the local stack has one compute host: a second anti-affine member is NoValidHost (that is the placement-failed case, run here)',
  })),
] as const;
