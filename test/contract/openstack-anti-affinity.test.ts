/**
 * antiAffinityGroup on the OpenStack driver through cloud-sim's Nova: the
 * server group's shape at both sides of microversion 2.64, brokers racing to
 * make one group, and the refusals that happen before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { createDriver, isBrokerError, type PlatformDriver } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const SERVER = { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az-1' };

describe('openstack antiAffinityGroup on cloud-sim', () => {
  let sim: CloudSim;
  const drivers: PlatformDriver[] = [];
  const driverAt = (novaMicroversion: string) => {
    const driver = createDriver(openstackDriver, {
      auth: passwordAuthOf(sim.credentials),
      region: 'RegionOne',
      novaMicroversion,
      wait: FAST,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    drivers.push(driver);
    return driver;
  };
  beforeAll(async () => {
    sim = await startCloudSim({
      regions: [{ name: 'RegionOne', availabilityZones: ['az-1'] }],
      delays: { serverBuildMs: 10, serverDeleteMs: 5 },
      nova: { computeHostsPerZone: 4 },
      seed: 3,
    });
  });
  afterAll(async () => {
    for (const d of drivers) await d.close?.();
    await sim.stop();
  });

  it('at 2.79 the group is made with `policy` (2.64 on) and the pair lands on two hosts', async () => {
    const driver = driverAt('2.79');
    const a = await driver.createServer({ ...SERVER, name: 'mv-a', antiAffinityGroup: 'mv279' });
    const b = await driver.createServer({ ...SERVER, name: 'mv-b', antiAffinityGroup: 'mv279' });
    const [group, ...more] = sim.openstack.serverGroupsNamed('mv279');
    expect(more).toEqual([]);
    expect(group?.policy).toBe('anti-affinity');
    expect(group?.members.sort()).toEqual([a.providerId, b.providerId].sort());
    expect(a.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(a.hostId).not.toBe(b.hostId);
    expect(sim.openstack.hostOf(a.providerId)).not.toBe(sim.openstack.hostOf(b.providerId));
  });

  it('two brokers racing to make the same group end in one group holding every member', async () => {
    const [one, two] = [driverAt('2.1'), driverAt('2.64')];
    // Warm both up (token, image and flavor look-ups), so their group look-ups leave together.
    await Promise.all(
      [one, two].map((d, i) => d.createServer({ ...SERVER, name: `warm-${i}` }, { wait: false })),
    );
    const posts = () => sim.count('POST /compute/{region}/v2.1/{project}/os-server-groups');
    const before = posts();
    // Both first look-ups are held back, so both brokers find no group and both make one.
    sim.faults.add({
      method: 'GET',
      path: '/compute/{region}/v2.1/{project}/os-server-groups',
      times: 2,
      action: { type: 'latency', ms: 150 },
    });
    const made = await Promise.all(
      [one, two].map((d, i) => d.createServer({ ...SERVER, name: `race-${i}`, antiAffinityGroup: 'raced' })),
    );
    expect(posts() - before, 'both brokers made a group').toBeGreaterThanOrEqual(2);
    for (const [i, d] of [one, two].entries()) {
      made.push(await d.createServer({ ...SERVER, name: `race-${i + 2}`, antiAffinityGroup: 'raced' }));
    }
    const groups = sim.openstack.serverGroupsNamed('raced');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.members.sort()).toEqual(made.map((s) => s.providerId).sort());
    expect(new Set(made.map((s) => s.hostId)).size).toBe(4);
  });

  it('a fifth member on four hosts is placement-failed, and its ERROR server is deleted', async () => {
    const driver = driverAt('2.1');
    const error = await driver
      .createServer({ ...SERVER, name: 'race-4', antiAffinityGroup: 'raced' }, { idempotencyKey: 'fifth' })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'placement-failed')).toBe(true);
    expect(String((error as Error).message)).toMatch(/No valid host was found/);
    expect(await driver.listServers?.({ idempotencyKey: 'fifth' })).toEqual([]);
  });

  it('a name outside Nova grammar and a group of another policy are refused, naming the field', async () => {
    const driver = driverAt('2.1');
    const before = sim.count('POST /compute/{region}/v2.1/{project}/os-server-groups');
    const badName = await driver
      .createServer({ ...SERVER, name: 'x', antiAffinityGroup: ' leading space' })
      .catch((e: unknown) => e);
    expect(badName).toMatchObject({ code: 'invalid-request', field: 'antiAffinityGroup' });
    expect(sim.count('POST /compute/{region}/v2.1/{project}/os-server-groups')).toBe(before);
    sim.openstack.createServerGroup({ name: 'together', policy: 'affinity' });
    const wrongPolicy = await driver
      .createServer({ ...SERVER, name: 'x', antiAffinityGroup: 'together' })
      .catch((e: unknown) => e);
    expect(wrongPolicy).toMatchObject({ code: 'conflict', field: 'antiAffinityGroup' });
  });
});
