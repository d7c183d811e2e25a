/**
 * The cascading driver holds two per-server locks on an attach (core's, by cascaded id, and
 * its region's, by Nova's id, shared with `region(name)` handles); both end when the
 * region's OpenStack driver says Nova accepted the request, not after the wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { createBroker, type Platform } from '../../packages/core/src/index.js';
import { cascadingDriver } from '../../packages/driver-cascading/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
// Long enough that the second call's prechecks and send fit well inside the first's wait.
const TRANSITION_MS = 400;

describe('cascading: the per-server locks end at the send', () => {
  let sim: CloudSim;
  let cascade: Platform;
  beforeAll(async () => {
    sim = await startCloudSim({
      regions: [{ name: 'az1' }],
      delays: { serverBuildMs: 5, attachMs: TRANSITION_MS, detachMs: TRANSITION_MS, serverDeleteMs: 5 },
    });
    const auth = passwordAuthOf(sim.credentials);
    cascade = createBroker(
      { platforms: { cascade: { driver: 'cascading', auth, wait: FAST } } },
      { drivers: [cascadingDriver] },
    ).platform('cascade');
  });
  afterAll(async () => {
    await cascade?.close?.();
    await sim?.stop();
  });

  /** Attach POSTs (or detach DELETEs) Nova has taken, of every region. */
  const sent = (method: 'POST' | 'DELETE') =>
    Object.entries(sim.counts())
      .filter(([key]) => key.startsWith(`${method} `) && key.includes('/os-volume_attachments'))
      .reduce((sum, [, n]) => sum + n, 0);

  it("sends a second attach and detach of one server while the first's waits", async () => {
    const server = await cascade.createServer({
      name: 'sg',
      image: 'sg-client',
      flavor: 'm1.small',
      availabilityZone: 'az1',
    });
    const volumes = await Promise.all([1, 2].map(() => sim.openstack.createVolume({ region: 'az1' })));
    const before = sent('POST');
    const [first, second] = volumes.map((v) => `az1:${v.id}`) as [string, string];
    const a = cascade.attachVolume({ serverId: server.id, volumeId: first });
    const b = cascade.attachVolume({ serverId: server.id, volumeId: second });
    // With a whole-call lock (core's or the region's), the second POST would follow the first's wait.
    await expect(a.then(() => sent('POST') - before)).resolves.toBe(2);
    const [one, two] = await Promise.all([a, b]);
    expect(one.device).not.toBe(two.device);
    const gone = sent('DELETE');
    const c = cascade.detachVolume({ serverId: server.id, volumeId: first });
    const d = cascade.detachVolume({ serverId: server.id, volumeId: second });
    await expect(c.then(() => sent('DELETE') - gone)).resolves.toBe(2);
    await expect(d).resolves.toMatchObject({ detached: true });
    await cascade.deleteServer({ serverId: server.id });
  });
});
