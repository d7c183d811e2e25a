// The full testkit contract through the cascading driver on the real stack, against a Keystone
// catalog that lists Nova and Cinder under RegionOne and RegionTwo (the same services: two
// "cascaded clouds"). Zone nova routes to RegionOne, az2 to RegionTwo, so the cross-zone case is
// a cross-region attach; ids carry their region. Local stack only.
import { createDriver, isBrokerError } from '@hybrid-broker/core';
import { cascadingDriver, formatRegionId, parseRegionId } from '@hybrid-broker/driver-cascading';
import { describePlatformDriverContract } from '@hybrid-broker/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openstackConfig, REAL_WAIT, RealCloud } from './real-cloud.js';
import { contractFixtures, LOCAL_STACK_SKIPS } from './real-fixtures.js';

const info = inject('openstackReal');
const ZONE_REGIONS: Record<string, string> = { nova: 'RegionOne', az2: 'RegionTwo' };

function cascadingConfig() {
  const { region: _region, ...config } = openstackConfig(info);
  return { ...config, availabilityZoneRegions: ZONE_REGIONS };
}

if (info.mode !== 'local') {
  describe('cascading on a real cloud', () => {
    it.skip('needs the local stack: a staging cloud has no two-region catalog over the same services', () => {});
  });
} else {
  describePlatformDriverContract(
    'cascading over two catalog regions of a real Zed stack',
    async () => {
      const cloud = await RealCloud.open(info);
      const driver = createDriver(cascadingDriver, cascadingConfig());
      const fixtures = await contractFixtures(
        cloud,
        async (zone) => formatRegionId(ZONE_REGIONS[zone] ?? 'RegionOne', await cloud.createVolume(zone)),
        (id) => parseRegionId(id, 'volumeId').providerId,
      );
      return {
        driver,
        // A second broker on the same cloud, as another replica of the arbitrator would have.
        secondDriver: createDriver(cascadingDriver, cascadingConfig()),
        fixtures,
        async cleanup() {
          await cloud.cleanup();
        },
      };
    },
    {
      runner: { describe, it, beforeAll, afterAll },
      wait: REAL_WAIT,
      timeoutMs: 120_000,
      skip: [
        ...LOCAL_STACK_SKIPS,
        {
          name: 'listServers finds a server by exact name, by metadata and by idempotency key, and nothing else',
          reason:
            'both catalog regions front the same Nova, so every server is rightly listed once per region (two ids); the listing across regions is proven on cloud-sim',
        },
        {
          name: 'a group past the cloud capacity ends in placement-failed, leaves no server, and a repeat converges',
          reason:
            'it checks listServers by key, and both catalog regions front the same Nova (two ids per server); the real NoValidHost is run by the openstack contract',
        },
        {
          name: 'createVolume waits until available; the volume reads, lists by metadata, and deletes once',
          reason:
            'it checks listVolumes by metadata, and both catalog regions front the same Cinder (two ids per volume); the openstack contract runs it on this stack',
        },
        {
          name: 'createVolume repeated with its key returns the same volume, from either broker; other params are conflict',
          reason:
            'it counts listVolumes by name, and both catalog regions front the same Cinder (two ids per volume); the openstack contract runs it on this stack',
        },
        {
          name: 'createSnapshot waits until available; it reads, lists by volume and metadata, and deletes once',
          reason:
            'it checks listSnapshots by metadata, and both catalog regions front the same Cinder (two ids per snapshot); the openstack contract runs it on this stack',
        },
      ],
    },
  );

  describe('cascading routing on real services', () => {
    let cloud: RealCloud;
    beforeAll(async () => {
      cloud = await RealCloud.open(info);
    });
    afterAll(async () => {
      await cloud?.cleanup();
    });

    it('listRegions lists both catalog regions with compute and volume', async () => {
      const driver = createDriver(cascadingDriver, cascadingConfig());
      const regions = await driver.listRegions?.();
      const byName = new Map((regions ?? []).map((r) => [r.name, r]));
      for (const name of ['RegionOne', 'RegionTwo']) {
        expect(byName.get(name)?.services).toEqual(expect.arrayContaining(['compute', 'volume']));
        expect(byName.get(name)?.missing).toEqual([]);
      }
    });

    it('a server made in RegionTwo carries that region in its id, and is read and deleted through it', async () => {
      const driver = createDriver(cascadingDriver, cascadingConfig());
      const server = await driver.createServer(
        {
          name: 'hb-real-region-two',
          image: await cloud.image(),
          flavor: await cloud.flavor(),
          availabilityZone: 'nova',
          region: 'RegionTwo',
          networks: [],
        },
        { wait: REAL_WAIT },
      );
      const { region, providerId } = parseRegionId(server.id, 'serverId');
      expect(region).toBe('RegionTwo');
      expect(server.region).toBe('RegionTwo');
      expect((await driver.getServer({ serverId: server.id })).providerId).toBe(providerId);
      // Both regions are the same Nova, so the bare id is found in both: refused as ambiguous.
      const ambiguous = await driver.getServer({ serverId: providerId }).catch((e: unknown) => e);
      expect(isBrokerError(ambiguous, 'invalid-request')).toBe(true);
      expect((ambiguous as Error).message).toMatch(
        /several regions \((RegionOne, RegionTwo|RegionTwo, RegionOne)\)/,
      );
      const volumeId = formatRegionId('RegionTwo', await cloud.createVolume('nova'));
      const attachment = await driver.attachVolume({ serverId: server.id, volumeId }, { wait: REAL_WAIT });
      expect(attachment).toMatchObject({ serverId: server.id, volumeId, state: 'attached' });
      expect(
        (await driver.detachVolume({ serverId: server.id, volumeId }, { wait: REAL_WAIT })).detached,
      ).toBe(true);
      expect(await driver.deleteServer({ serverId: server.id }, { wait: REAL_WAIT })).toEqual({
        serverId: server.id,
        deleted: true,
      });
    });
  });
}
