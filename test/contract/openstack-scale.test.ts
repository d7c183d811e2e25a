/**
 * The scale features of the openstack and cascading drivers over cloud-sim:
 * many concurrent attaches and detaches with every feature on (the default)
 * make far fewer requests than with every feature off, and end the same way.
 * The full failover benchmark is bench/failover.mjs; this is its small, bounded cousin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import {
  type BrokerEvent,
  createDriver,
  MemoryEventSink,
  type ScaleOptions,
} from '../../packages/core/src/index.js';
import { cascadingDriver, formatRegionId } from '../../packages/driver-cascading/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

const SERVERS = 10;
const VOLUMES_PER_SERVER = 4;
const OFF: ScaleOptions = {
  coalescePolling: false,
  singleFlightReads: false,
  adaptivePolling: false,
  requestBudget: false,
  attachBatchWindowMs: 0,
};

let sim: CloudSim;

beforeAll(async () => {
  sim = await startCloudSim({
    regions: [{ name: 'az1' }],
    delays: {
      serverBuildMs: 5,
      serverDeleteMs: 5,
      volumeCreateMs: 0,
      volumeDeleteMs: 0,
      attachMs: 600,
      detachMs: 400,
    },
    seed: 19,
  });
});

afterAll(async () => {
  await sim?.stop();
});

/** Attaches SERVERS x VOLUMES_PER_SERVER volumes at once, then detaches them all; counts the requests. */
async function failover(kind: 'openstack' | 'cascading', scale: ScaleOptions | undefined) {
  const events = new MemoryEventSink();
  const config = {
    auth: passwordAuthOf(sim.credentials),
    ...(kind === 'openstack' ? { region: 'az1' } : {}),
    ...(scale ? { scale } : {}),
  };
  const driver = createDriver(kind === 'openstack' ? openstackDriver : cascadingDriver, config, {
    services: { events },
  });
  const id = (raw: string) => (kind === 'cascading' ? formatRegionId('az1', raw) : raw);
  const pairs = Array.from({ length: SERVERS }, () => {
    const server = sim.openstack.createServer({ region: 'az1' });
    return Array.from({ length: VOLUMES_PER_SERVER }, () => ({
      serverId: id(server.id),
      volumeId: id(sim.openstack.createVolume({ region: 'az1' }).id),
    }));
  }).flat();
  await driver.listServers(); // token and catalog, outside the count
  const requests = () => events.events.filter((e: BrokerEvent) => e.type === 'request').length;
  const before = requests();
  const attached = await Promise.all(pairs.map((p) => driver.attachVolume(p)));
  const detached = await Promise.all(pairs.map((p) => driver.detachVolume(p)));
  // SCALE_BREAKDOWN=1 prints the requests of each run by call.
  if (process.env.SCALE_BREAKDOWN) {
    const by = new Map<string, number>();
    for (const e of events.events.slice(before)) {
      if (e.type === 'request') by.set(e.call ?? '?', (by.get(e.call ?? '?') ?? 0) + 1);
    }
    console.log(kind, scale ? 'off' : 'on', JSON.stringify([...by]));
  }
  await driver.close?.();
  return {
    requests: requests() - before,
    attached: attached.filter((a) => a.state === 'attached').length,
    detached: detached.filter((d) => d.detached && d.volume.attachments.length === 0).length,
  };
}

describe.each(['openstack', 'cascading'] as const)('%s scale features over cloud-sim', (kind) => {
  it(`${SERVERS * VOLUMES_PER_SERVER} concurrent attaches and detaches: the same outcome, far fewer requests`, async () => {
    const off = await failover(kind, OFF);
    const on = await failover(kind, undefined);
    console.log(
      `${kind}: requests on ${on.requests}, off ${off.requests}, ratio ${(on.requests / off.requests).toFixed(2)}`,
    );
    for (const run of [off, on]) {
      expect(run.attached).toBe(SERVERS * VOLUMES_PER_SERVER);
      expect(run.detached).toBe(SERVERS * VOLUMES_PER_SERVER);
    }
    expect(on.requests).toBeLessThan(off.requests * 0.6);
  }, 60_000);

  it("concurrent detaches read Nova's side from the shared server list, not one attachment GET each", async () => {
    sim.resetCounts();
    await failover(kind, undefined);
    const counts = sim.counts();
    const perVolume =
      counts['GET /compute/{region}/v2.1/{project}/servers/{id}/os-volume_attachments/{volumeId}'] ?? 0;
    const lists = counts['GET /compute/{region}/v2.1/{project}/servers/detail'] ?? 0;
    expect(lists).toBeGreaterThan(0);
    // A detach whose wait was alone at the end may still ask Nova's attachment API.
    expect(perVolume).toBeLessThan(SERVERS);
  }, 60_000);
});
