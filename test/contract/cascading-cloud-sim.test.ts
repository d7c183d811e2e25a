/**
 * The PlatformDriver contract through the cascading driver against cloud-sim's
 * cascading OpenStack (one Keystone, one catalog region per cloud), with 3 and
 * with 50 regions. Zones follow the cascading convention region = AZ, so the
 * suite's zones route the creates; the AZ-mismatch case is a cross-region attach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CloudSim,
  passwordAuthOf,
  type RegionSpec,
  startCloudSim,
} from '../../packages/cloud-sim/src/index.js';
import { DEFAULT_IMAGES } from '../../packages/cloud-sim/src/openstack/catalog-data.js';
import { createDriver, type PlatformDriver } from '../../packages/core/src/index.js';
import { cascadingDriver, formatRegionId, parseRegionId } from '../../packages/driver-cascading/src/index.js';
import { describePlatformDriverContract } from '../../packages/testkit/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const DELAYS = {
  serverBuildMs: 20,
  serverDeleteMs: 5,
  volumeCreateMs: 5,
  volumeDeleteMs: 5,
  attachMs: 10,
  detachMs: 10,
};
const runner = { describe, it, beforeAll, afterAll };

function cascadeFor(sim: CloudSim): PlatformDriver {
  return createDriver(cascadingDriver, {
    auth: passwordAuthOf(sim.credentials),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

/** Runs the contract with servers in `zone`, the cross-zone volume in `otherZone`. */
function contractOver(label: string, regions: number | RegionSpec[], zone: string, otherZone: string): void {
  let sim: CloudSim;
  describePlatformDriverContract(
    `cascading over ${label} (cloud-sim)`,
    async () => {
      sim = await startCloudSim({ regions, delays: DELAYS, seed: 5, nova: { computeHostsPerZone: 2 } });
      const driver = cascadeFor(sim);
      // a second broker process on the same clouds: its own token, region views and locks
      const secondDriver = cascadeFor(sim);
      return {
        driver,
        secondDriver,
        fixtures: {
          image: 'cirros-0.6.2-x86_64-disk',
          flavor: 'm1.small',
          availabilityZone: zone,
          otherAvailabilityZone: otherZone,
          // Region = AZ: the volume's region is its zone's name.
          createVolume: async (az) =>
            formatRegionId(az, sim.openstack.createVolume({ region: az, availabilityZone: az }).id),
          volumeImageId: DEFAULT_IMAGES[0]?.id,
          allowForceDetach: async (allowed) => {
            sim.openstack.cinder.forceDetachRequiresAdmin = !allowed;
          },
          setVolumeStatus: async (volumeId, status) => {
            const { providerId } = parseRegionId(volumeId, 'volumeId');
            sim.openstack.setVolumeStatus(providerId, status === 'error' ? 'error' : 'detaching');
          },
          slowTransitions: async (ms) => {
            const delays = sim.openstack.delays;
            delays.attachMs = ms ?? DELAYS.attachMs;
            delays.detachMs = ms ?? DELAYS.detachMs;
          },
          failNextBuild: async () => {
            sim.faults.add({
              method: 'POST',
              path: '/compute/{region}/v2.1/{project}/servers',
              times: 1,
              action: { type: 'error-state' },
            });
          },
          // Nova server groups are per region: the group is made in the region the members go to.
          antiAffinity: {
            capacity: 2,
            countGroups: async (name) => sim.openstack.serverGroupsNamed(name).length,
          },
        },
        async cleanup() {
          // The whole run, over every region it touched, used one token per broker.
          const tokens = sim.count('POST /v3/auth/tokens');
          await sim.stop();
          expect(tokens).toBe(2);
        },
      };
    },
    { runner, wait: FAST },
  );
}

contractOver('3 regions', [{ name: 'az1' }, { name: 'az2' }, { name: 'az3' }], 'az2', 'az3');
contractOver('50 regions', 50, 'Region50', 'RegionOne');
