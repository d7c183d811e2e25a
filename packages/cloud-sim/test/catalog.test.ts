import { afterEach, describe, expect, it } from 'vitest';
import { type CloudSim, type CloudSimOptions, startCloudSim } from '../src/index.js';
import { call, login } from './helpers/sim-client.js';

let sim: CloudSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function catalogOf(options: CloudSimOptions) {
  sim = await startCloudSim(options);
  const s = await login(sim);
  return {
    s,
    catalog: s.tokenBody.token.catalog as {
      type: string;
      name: string;
      endpoints: { region: string; interface: string; url: string }[];
    }[],
  };
}

describe('cascading catalog', () => {
  it('names N regions RegionOne.. and gives each compute, volumev3 and image endpoints on all three interfaces', async () => {
    const { catalog } = await catalogOf({ regions: 3 });
    expect(sim?.credentials.regions).toEqual(['RegionOne', 'RegionTwo', 'RegionThree']);
    for (const type of ['compute', 'volumev3', 'image']) {
      const service = catalog.find((c) => c.type === type);
      expect(service?.endpoints).toHaveLength(9);
      const interfaces = new Set(service?.endpoints.map((e) => e.interface));
      expect(interfaces).toEqual(new Set(['public', 'internal', 'admin']));
    }
    expect(catalog.find((c) => c.type === 'identity')).toBeDefined();
  });

  it('puts the project id in compute and volume URLs', async () => {
    const { s } = await catalogOf({ regions: 1 });
    const projectId = sim?.credentials.projectId ?? '';
    expect(s.url('compute')).toMatch(new RegExp(`/compute/RegionOne/v2\\.1/${projectId}$`));
    expect(s.url('volumev3')).toMatch(new RegExp(`/volume/RegionOne/v3/${projectId}$`));
  });

  it('honours per-region service choices: no compute, volumev2, block-storage, no volume', async () => {
    const { catalog } = await catalogOf({
      regions: [
        { name: 'az1', compute: false },
        { name: 'az2', volume: 'volumev2' },
        { name: 'az3', volume: 'block-storage' },
        { name: 'az4', volume: false },
      ],
    });
    const regionsOf = (type: string) =>
      new Set(catalog.find((c) => c.type === type)?.endpoints.map((e) => e.region));
    expect(regionsOf('compute')).toEqual(new Set(['az2', 'az3', 'az4']));
    expect(regionsOf('volumev3')).toEqual(new Set(['az1']));
    expect(regionsOf('volumev2')).toEqual(new Set(['az2']));
    expect(regionsOf('block-storage')).toEqual(new Set(['az3']));
    expect(catalog.find((c) => c.type === 'volumev2')?.endpoints[0]?.url).toMatch(/\/volume\/az2\/v2\//);
  });

  it('serves internal and admin endpoints under their own prefixes', async () => {
    const { s } = await catalogOf({ regions: 1 });
    const internal = s.url('compute', 'RegionOne', 'internal');
    expect(internal).toContain('/internal/compute/');
    expect((await call('GET', `${internal}/servers`, { token: s.token })).status).toBe(200);
    const admin = s.url('volumev3', 'RegionOne', 'admin');
    expect((await call('GET', `${admin}/volumes/detail`, { token: s.token })).status).toBe(200);
    expect(sim?.counts()).toMatchObject({ 'GET /internal/compute/{region}/v2.1/{project}/servers': 1 });
  });

  it('a region without a service answers 404 there', async () => {
    const { s } = await catalogOf({ regions: [{ name: 'a', compute: false }, { name: 'b' }] });
    const url = s.url('compute', 'b').replace('/compute/b/', '/compute/a/');
    expect((await call('GET', `${url}/servers`, { token: s.token })).status).toBe(404);
  });

  it('adds and removes regions at runtime; new tokens see the change', async () => {
    sim = await startCloudSim({ regions: 1 });
    sim.openstack.addRegion({ name: 'added', availabilityZones: ['added-a', 'added-b'] });
    const after = await login(sim);
    expect(after.url('compute', 'added')).toContain('/compute/added/');
    const viaHttp = await call('POST', `${sim.url}/_sim/openstack/regions`, {
      body: { name: 'http-region', volume: 'volumev2' },
    });
    expect(viaHttp.status).toBe(201);
    expect((await login(sim)).url('volumev2', 'http-region')).toContain('/v2/');
    expect((await call('DELETE', `${sim.url}/_sim/openstack/regions/added`)).status).toBe(204);
    expect(() => after.url('compute', 'added')).not.toThrow();
    const fresh = await login(sim);
    expect(() => fresh.url('compute', 'added')).toThrow();
    expect(
      (await call('GET', `${after.url('compute', 'added')}/servers`, { token: after.token })).status,
    ).toBe(404);
  });

  it('defaults availability zone to the region name (cascading convention)', async () => {
    sim = await startCloudSim({ regions: [{ name: 'cloud-b' }] });
    expect(sim.openstack.regions()[0]?.availabilityZones).toEqual(['cloud-b']);
  });
});
