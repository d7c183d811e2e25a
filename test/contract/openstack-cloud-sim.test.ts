/**
 * The PlatformDriver contract through cloud-sim's OpenStack emulation
 * (Keystone v3, Nova, Cinder, Glance) over loopback HTTP, plus what needs a
 * real HTTP server: token single flight, revocation, throttling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { DEFAULT_IMAGES } from '../../packages/cloud-sim/src/openstack/catalog-data.js';
import { createDriver, MemoryEventSink, type PlatformDriver } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';
import { describePlatformDriverContract } from '../../packages/testkit/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const REGIONS = [{ name: 'RegionOne', availabilityZones: ['az-1', 'az-2'] }];
const DELAYS = {
  serverBuildMs: 20,
  serverDeleteMs: 5,
  volumeCreateMs: 5,
  volumeDeleteMs: 5,
  attachMs: 10,
  detachMs: 10,
};

function driverFor(sim: CloudSim, extra: Record<string, unknown> = {}) {
  const events = new MemoryEventSink();
  const driver = createDriver(
    openstackDriver,
    {
      auth: passwordAuthOf(sim.credentials),
      region: 'RegionOne',
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...extra,
    },
    { services: { events } },
  );
  return { driver, events };
}

describePlatformDriverContract(
  'openstack (cloud-sim)',
  async () => {
    const sim = await startCloudSim({
      regions: REGIONS,
      delays: DELAYS,
      seed: 7,
      nova: { computeHostsPerZone: 2 },
      // two images share a name, for the ambiguous-name case
      extraImages: ['sg-shared', 'sg-shared'],
    });
    const { driver } = driverFor(sim);
    // a second broker process on the same cloud: its own token, connections and per-server locks
    const { driver: secondDriver } = driverFor(sim);
    return {
      driver,
      secondDriver,
      fixtures: {
        image: 'cirros-0.6.2-x86_64-disk',
        flavor: 'm1.small',
        catalog: { ambiguousImageName: 'sg-shared' },
        availabilityZone: 'az-1',
        otherAvailabilityZone: 'az-2',
        createVolume: async (zone) => sim.openstack.createVolume({ availabilityZone: zone }).id,
        volumeImageId: DEFAULT_IMAGES[0]?.id,
        allowForceDetach: async (allowed) => {
          sim.openstack.cinder.forceDetachRequiresAdmin = !allowed;
        },
        setVolumeStatus: async (volumeId, status) => {
          sim.openstack.setVolumeStatus(volumeId, status === 'error' ? 'error' : 'detaching');
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
        antiAffinity: {
          capacity: 2,
          countGroups: async (name) => sim.openstack.serverGroupsNamed(name).length,
        },
      },
      async cleanup() {
        await driver.close?.();
        await secondDriver.close?.();
        await sim.stop();
      },
    };
  },
  { runner: { describe, it, beforeAll, afterAll }, wait: FAST },
);

describe('openstack driver on cloud-sim', () => {
  let sim: CloudSim;
  let driver: PlatformDriver;
  let events: MemoryEventSink;
  beforeAll(async () => {
    sim = await startCloudSim({ regions: REGIONS, delays: DELAYS, seed: 11 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const fresh = (extra: Record<string, unknown> = {}) => {
    sim.reset();
    ({ driver, events } = driverFor(sim, extra));
  };

  it('1,000 concurrent calls make exactly one token request', async () => {
    fresh();
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-1' });
    const read = await Promise.all(
      Array.from({ length: 1000 }, () => driver.getVolume({ volumeId: volume.id })),
    );
    expect(read.every((v) => v.id === volume.id)).toBe(true);
    expect(sim.count('POST /v3/auth/tokens')).toBe(1);
  });

  it('tokens revoked mid-run cause exactly one re-auth', async () => {
    fresh();
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-1' });
    await driver.getVolume({ volumeId: volume.id });
    sim.openstack.revokeTokens();
    const read = await Promise.all(
      Array.from({ length: 100 }, () => driver.getVolume({ volumeId: volume.id })),
    );
    expect(read).toHaveLength(100);
    expect(sim.count('POST /v3/auth/tokens')).toBe(2);
    expect(events.ofType('reauth').map((e) => e.reason)).toEqual(['initial', 'unauthorized']);
  });

  it('a 429 with Retry-After is waited out', async () => {
    fresh();
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-1' });
    sim.faults.add({
      method: 'GET',
      path: '/volume/**',
      times: 1,
      action: { type: 'throttle', retryAfterSeconds: 0.2 },
    });
    const started = Date.now();
    const read = await driver.getVolume({ volumeId: volume.id });
    expect(read.id).toBe(volume.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(events.ofType('retry')).toMatchObject([{ code: 'throttled', delayMs: 200 }]);
  });

  it('a volume that goes to error during the attach ends the wait at once', async () => {
    fresh();
    const server = await driver.createServer(
      { name: 'sg', image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az-1' },
      { wait: FAST },
    );
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-1' });
    sim.faults.add({
      method: 'POST',
      path: '/compute/{region}/v2.1/{project}/servers/{id}/os-volume_attachments',
      times: 1,
      action: { type: 'error-state' },
    });
    const started = Date.now();
    const error = await driver
      .attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: { ...FAST, timeoutMs: 30_000 } })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('provider-error');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('cloud-sim with the behaviour recorded from a real Zed Nova', () => {
  // Nova lists the attachment 40 ms past Cinder's available, names devices /dev/sdX, allows cross-zone attaches.
  const ZED = { regions: REGIONS, delays: { ...DELAYS, novaDetachLagMs: 40 }, seed: 13 } as const;
  let sim: CloudSim;
  afterAll(async () => {
    await sim?.stop();
  });

  it('a re-attach straight after a detach succeeds: the detach waited for Nova to drop it', async () => {
    // A long lag, so the window stays open on a loaded machine.
    sim = await startCloudSim({
      ...ZED,
      delays: { ...DELAYS, novaDetachLagMs: 1_500 },
      nova: { deviceStyle: 'sd' },
    });
    const { driver } = driverFor(sim);
    const server = await driver.createServer(
      { name: 'zed', image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az-1' },
      { wait: FAST },
    );
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-1' });
    const ref = { serverId: server.id, volumeId: volume.id };
    const wait = { ...FAST, timeoutMs: 10_000 };
    for (let round = 0; round < 2; round++) {
      const attachment = await driver.attachVolume(ref, { wait });
      expect(attachment.device).toBe('/dev/sdb');
      await driver.detachVolume(ref, { wait });
    }
    // Without the wait for Nova: Cinder already says available, Nova still lists it, the attach is refused.
    await driver.attachVolume(ref, { wait });
    await driver.detachVolume(ref, { wait: false });
    while ((await driver.getVolume(ref)).status !== 'available') await new Promise((r) => setTimeout(r, 5));
    const refused = await driver.attachVolume(ref, { wait }).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('invalid-request');
    expect((refused as Error).message).toMatch(/already attached/);
    await sim.stop();
  }, 30_000);

  it.each([
    [true, 'attached'],
    [false, 'invalid-request'],
  ] as const)(
    'cross_az_attach %s with availabilityZonePolicy "cloud": %s',
    async (crossAzAttach, outcome) => {
      sim = await startCloudSim({ ...ZED, nova: { crossAzAttach } });
      const { driver } = driverFor(sim, { availabilityZonePolicy: 'cloud' });
      const server = await driver.createServer(
        { name: 'zed-az', image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az-1' },
        { wait: FAST },
      );
      const volume = sim.openstack.createVolume({ availabilityZone: 'az-2' });
      const result = await driver
        .attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: FAST })
        .then((a) => a.state)
        .catch((e: { code?: string }) => e.code);
      expect(result).toBe(outcome);
      await sim.stop();
    },
  );
});
