/**
 * What the cascading driver adds over one OpenStack driver, proven against
 * cloud-sim's cascading Keystone: one token for many regions, regions that
 * lack a service, Cinder under other catalog types, catalog refresh on a new
 * token, AZ routing, region-prefixed and bare ids, filters, and secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { systemClock } from '../../packages/core/src/driver-kit.js';
import {
  type BrokerError,
  type Clock,
  isBrokerError,
  MemoryEventSink,
} from '../../packages/core/src/index.js';
import {
  type CascadingConfigInput,
  type CascadingPlatform,
  createCascadingDriver,
  formatRegionId,
} from '../../packages/driver-cascading/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const DELAYS = {
  serverBuildMs: 10,
  serverDeleteMs: 5,
  volumeCreateMs: 5,
  volumeDeleteMs: 5,
  attachMs: 5,
  detachMs: 5,
};
const IMAGE = 'cirros-0.6.2-x86_64-disk';

function authOf(sim: CloudSim): CascadingConfigInput['auth'] {
  return passwordAuthOf(sim.credentials);
}

async function cascadeOn(
  sim: CloudSim,
  extra: Partial<CascadingConfigInput> = {},
  clock: Clock = systemClock,
): Promise<{ cascade: CascadingPlatform; events: MemoryEventSink }> {
  const events = new MemoryEventSink();
  const cascade = await createCascadingDriver(
    { auth: authOf(sim), ...extra },
    { services: { events, clock }, wait: FAST, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  );
  return { cascade, events };
}

async function failure(promise: Promise<unknown>): Promise<BrokerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBrokerError(error)) throw new Error(`expected a BrokerError, got ${String(error)}`);
  return error;
}

describe('cascading driver: one token for many regions', () => {
  let sim: CloudSim;
  beforeAll(async () => {
    sim = await startCloudSim({ regions: 50, delays: DELAYS, seed: 3 });
  });
  afterAll(() => sim.stop());

  it('reads volumes and creates servers across all 50 regions with exactly one token request', async () => {
    const { cascade } = await cascadeOn(sim);
    const regions = sim.credentials.regions;
    const volumes = regions.map((region) =>
      formatRegionId(region, sim.openstack.createVolume({ region, availabilityZone: region }).id),
    );
    const [read, servers] = await Promise.all([
      Promise.all(volumes.map((volumeId) => cascade.getVolume({ volumeId }))),
      Promise.all(
        regions.slice(0, 10).map((zone) =>
          cascade.createServer({
            name: `sg-${zone}`,
            image: IMAGE,
            flavor: 'm1.small',
            availabilityZone: zone,
          }),
        ),
      ),
    ]);
    expect(read.map((v) => v.region)).toEqual(regions);
    expect(servers.map((s) => s.id.split(':')[0])).toEqual(regions.slice(0, 10));
    expect(await cascade.listRegions()).toHaveLength(50);
    expect(sim.count('POST /v3/auth/tokens')).toBe(1);
  });

  it('concurrent first calls trigger one token request and one catalog discovery', async () => {
    sim.resetCounts();
    const { cascade } = await cascadeOn(sim);
    const volume = sim.openstack.createVolume({ region: 'RegionTwo', availabilityZone: 'RegionTwo' });
    await Promise.all([
      ...Array.from({ length: 20 }, () => cascade.listRegions()),
      ...Array.from({ length: 20 }, () =>
        cascade.getVolume({ volumeId: formatRegionId('RegionTwo', volume.id) }),
      ),
    ]);
    expect(sim.count('POST /v3/auth/tokens')).toBe(1);
    expect(cascade.catalogVersion).toBe(1);
  });
});

describe('cascading driver: regions with and without services', () => {
  let sim: CloudSim;
  let cascade: CascadingPlatform;
  beforeAll(async () => {
    sim = await startCloudSim({
      regions: [
        { name: 'full' },
        { name: 'no-cinder', volume: false },
        { name: 'no-nova', compute: false },
        { name: 'old-cinder', volume: 'volumev2' },
        { name: 'new-cinder', volume: 'block-storage' },
      ],
      delays: DELAYS,
      seed: 9,
    });
    ({ cascade } = await cascadeOn(sim));
  });
  afterAll(() => sim.stop());

  it('lists each region with the services it offers and what it lacks', async () => {
    const regions = await cascade.listRegions();
    const byName = Object.fromEntries(
      regions.map((r) => [r.name, { services: r.services, missing: r.missing }]),
    );
    expect(byName).toEqual({
      full: { services: ['compute', 'volume', 'image'], missing: [] },
      'no-cinder': { services: ['compute', 'image'], missing: ['volume'] },
      'no-nova': { services: ['volume', 'image'], missing: ['compute'] },
      'old-cinder': { services: ['compute', 'volume', 'image'], missing: [] },
      'new-cinder': { services: ['compute', 'volume', 'image'], missing: [] },
    });
  });

  it('a volume call in a region without Cinder is invalid-request naming the region and the missing service', async () => {
    const error = await failure(
      cascade.getVolume({ volumeId: 'no-cinder:0b7e5e1c-0000-4000-8000-000000000001' }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('volumeId');
    expect(error.message).toContain('region "no-cinder"');
    expect(error.message).toMatch(/no volume \(Cinder/);
    const server = await cascade.createServer({
      name: 'sg',
      image: IMAGE,
      flavor: 'm1.small',
      region: 'no-cinder',
    });
    expect(server.status).toBe('running');
    const attach = await failure(
      cascade.attachVolume({
        serverId: server.id,
        volumeId: 'no-cinder:0b7e5e1c-0000-4000-8000-000000000001',
      }),
    );
    expect(attach.code).toBe('invalid-request');
    expect(attach.message).toContain('region "no-cinder" offers no volume');
    const view = await failure(cascade.region('no-cinder').getVolume({ volumeId: 'x' }));
    expect(view.message).toContain('region "no-cinder" offers no volume');
  });

  it('a create in a region without Nova is invalid-request naming the region and compute', async () => {
    const error = await failure(
      cascade.createServer({ name: 'sg', image: IMAGE, flavor: 'm1.small', availabilityZone: 'no-nova' }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('availabilityZone');
    expect(error.message).toContain('region "no-nova" offers no compute (Nova)');
  });

  it('a per-region endpoint override supplies a service the catalog lacks there', async () => {
    const { cascade: patched } = await cascadeOn(sim, {
      regionSettings: {
        'no-cinder': { endpointOverrides: { volume: `${sim.url}/volume/full/v3/$(project_id)s` } },
      },
    });
    const info = (await patched.listRegions()).find((r) => r.name === 'no-cinder');
    expect(info).toMatchObject({ services: ['compute', 'volume', 'image'], missing: [] });
    const volume = sim.openstack.createVolume({ region: 'full', availabilityZone: 'full' });
    const read = await patched.getVolume({ volumeId: formatRegionId('no-cinder', volume.id) });
    expect(read).toMatchObject({ providerId: volume.id, region: 'no-cinder', status: 'available' });
  });

  for (const [region, type] of [
    ['old-cinder', 'volumev2'],
    ['new-cinder', 'block-storage'],
  ] as const) {
    it(`a ${type}-only region attaches and detaches`, async () => {
      const info = (await cascade.listRegions()).find((r) => r.name === region) as { serviceTypes?: object };
      expect(info.serviceTypes).toMatchObject({ volume: type });
      const server = await cascade.createServer({
        name: `sg-${region}`,
        image: IMAGE,
        flavor: 'm1.small',
        region,
      });
      const volumeId = formatRegionId(
        region,
        sim.openstack.createVolume({ region, availabilityZone: region }).id,
      );
      const attachment = await cascade.attachVolume({ serverId: server.id, volumeId });
      expect(attachment).toMatchObject({ state: 'attached', serverId: server.id, volumeId });
      expect((await cascade.getVolume({ volumeId })).status).toBe('in-use');
      const detached = await cascade.detachVolume({ serverId: server.id, volumeId });
      expect(detached).toMatchObject({ detached: true, volume: { id: volumeId, status: 'available' } });
      expect(
        sim.count(`GET /volume/{region}/${type === 'volumev2' ? 'v2' : 'v3'}/{project}/volumes/{id}`),
      ).toBeGreaterThan(0);
    });
  }
});

describe('cascading driver: catalog refresh', () => {
  it('a region added later is found after the token is renewed, and a removed one is refused', async () => {
    let now = Date.now();
    const clock: Clock = { ...systemClock, now: () => now };
    const sim = await startCloudSim({
      regions: [{ name: 'a' }, { name: 'b' }],
      now: () => now,
      delays: DELAYS,
    });
    try {
      const { cascade, events } = await cascadeOn(sim, {}, clock);
      expect((await cascade.listRegions()).map((r) => r.name)).toEqual(['a', 'b']);
      sim.openstack.addRegion({ name: 'c', volume: 'volumev2' });
      sim.openstack.removeRegion('b');
      // Same token, same catalog: nothing changes until a new token brings one.
      expect((await cascade.listRegions()).map((r) => r.name)).toEqual(['a', 'b']);
      now += 2 * 3_600_000;
      expect((await cascade.listRegions()).map((r) => r.name)).toEqual(['a', 'c']);
      expect(events.ofType('reauth').map((e) => e.reason)).toEqual(['initial', 'expiring']);
      expect(cascade.catalogVersion).toBe(2);
      const volume = sim.openstack.createVolume({ region: 'c', availabilityZone: 'c' });
      expect((await cascade.getVolume({ volumeId: formatRegionId('c', volume.id) })).region).toBe('c');
      const gone = await failure(cascade.getServer({ serverId: 'b:6f1c0000-0000-4000-8000-000000000001' }));
      expect(gone.code).toBe('invalid-request');
      expect(gone.message).toContain('region "b" is not in the catalog');
    } finally {
      await sim.stop();
    }
  });

  it('a re-auth after revoked tokens brings the new catalog to the next call', async () => {
    const sim = await startCloudSim({ regions: [{ name: 'a' }], delays: DELAYS });
    try {
      const { cascade } = await cascadeOn(sim);
      const volume = sim.openstack.createVolume({ region: 'a', availabilityZone: 'a' });
      const volumeId = formatRegionId('a', volume.id);
      await cascade.getVolume({ volumeId });
      sim.openstack.addRegion({ name: 'late' });
      sim.openstack.revokeTokens();
      await cascade.getVolume({ volumeId });
      expect((await cascade.listRegions()).map((r) => r.name)).toEqual(['a', 'late']);
      expect(sim.count('POST /v3/auth/tokens')).toBe(2);
    } finally {
      await sim.stop();
    }
  });
});

describe('cascading driver: routing and ids', () => {
  let sim: CloudSim;
  beforeAll(async () => {
    sim = await startCloudSim({
      regions: [{ name: 'dc1', availabilityZones: ['dc1-a', 'dc1-b'] }, { name: 'dc2' }, { name: 'lab-x' }],
      delays: DELAYS,
      seed: 13,
    });
  });
  afterAll(() => sim.stop());

  it('routes a create by the zone map, a region zone list, or the region = AZ convention', async () => {
    const { cascade } = await cascadeOn(sim, {
      availabilityZoneRegions: { 'dc1-a': 'dc1' },
      regionSettings: { dc1: { availabilityZones: ['dc1-b'] } },
    });
    const create = (availabilityZone: string) =>
      cascade.createServer({ name: 'sg', image: IMAGE, flavor: 'm1.small', availabilityZone });
    const [a, b, two] = await Promise.all([create('dc1-a'), create('dc1-b'), create('dc2')]);
    expect([a.region, a.availabilityZone, b.region, b.availabilityZone, two.region]).toEqual([
      'dc1',
      'dc1-a',
      'dc1',
      'dc1-b',
      'dc2',
    ]);
    expect(a.id).toBe(`dc1:${a.providerId}`);
    const unknown = await failure(create('nowhere'));
    expect(unknown).toMatchObject({ code: 'invalid-request', field: 'availabilityZone' });
    const none = await failure(cascade.createServer({ name: 'sg', image: IMAGE, flavor: 'm1.small' }));
    expect(none).toMatchObject({ code: 'invalid-request', field: 'region' });
  });

  it('finds a bare id by asking the regions, and refuses it with bareIds: reject', async () => {
    const volume = sim.openstack.createVolume({ region: 'dc2', availabilityZone: 'dc2' });
    const { cascade } = await cascadeOn(sim);
    expect((await cascade.getVolume({ volumeId: volume.id })).id).toBe(`dc2:${volume.id}`);
    const { cascade: strict } = await cascadeOn(sim, { bareIds: 'reject' });
    expect(await failure(strict.getVolume({ volumeId: volume.id }))).toMatchObject({
      code: 'invalid-request',
      field: 'volumeId',
    });
  });

  it('a malformed or cross-region id is invalid-request naming the field', async () => {
    const { cascade } = await cascadeOn(sim);
    for (const serverId of ['dc1:', ':abc', 'dc%zz:abc', 'dc%31:abc']) {
      expect(await failure(cascade.getServer({ serverId }))).toMatchObject({
        code: 'invalid-request',
        field: 'serverId',
      });
    }
    sim.resetCounts();
    const cross = await failure(cascade.attachVolume({ serverId: 'dc1:s', volumeId: 'dc2:v' }));
    expect(cross).toMatchObject({ code: 'invalid-request', field: 'volumeId' });
    expect(sim.count('GET /compute/{region}/v2.1/{project}/servers/{id}')).toBe(0);
  });

  it('region(name) drives one cloud with its own ids', async () => {
    const { cascade } = await cascadeOn(sim);
    const dc2 = cascade.region('dc2');
    const server = await dc2.createServer({ name: 'plain', image: IMAGE, flavor: 'm1.small' });
    expect(server.id).toBe(server.providerId);
    expect(server.region).toBe('dc2');
    expect((await cascade.getServer({ serverId: `dc2:${server.id}` })).name).toBe('plain');
    expect(await failure(cascade.region('nope').getServer({ serverId: server.id }))).toMatchObject({
      code: 'invalid-request',
      field: 'region',
    });
  });

  it('include/exclude filters (names and /regex/) decide which regions are used', async () => {
    const { cascade } = await cascadeOn(sim, { regions: { include: ['/^dc/', 'lab-x'], exclude: ['dc2'] } });
    expect((await cascade.listRegions()).map((r) => r.name)).toEqual(['dc1', 'lab-x']);
    const error = await failure(cascade.getServer({ serverId: 'dc2:6f1c0000-0000-4000-8000-000000000001' }));
    expect(error.message).toContain('region "dc2" is excluded');
  });
});
