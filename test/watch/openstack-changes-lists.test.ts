/**
 * The watch over cloud-sim's OpenStack: between resyncs it lists only changes (Nova
 * `changes-since`, Cinder `updated_at=gt:` at 3.60), and a full list runs only at resync.
 * Requests are counted at the fetch the driver sends with.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { createDriver, type FetchFn, type Platform, type WatchEvent } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

let sim: CloudSim;
let sent: { url: string; headers: Headers }[];
let platform: Platform;

beforeEach(async () => {
  sim = await startCloudSim({
    regions: [{ name: 'RegionOne', availabilityZones: ['az-1'] }],
    delays: { serverDeleteMs: 5, volumeCreateMs: 5, volumeDeleteMs: 5, serverBuildMs: 10 },
  });
  sent = [];
  const fetch: FetchFn = (input, init) => {
    sent.push({ url: String(input), headers: new Headers(init?.headers) });
    return globalThis.fetch(input, init);
  };
  platform = createDriver(
    openstackDriver,
    { auth: passwordAuthOf(sim.credentials), region: 'RegionOne' },
    { services: { fetch } },
  ) as Platform;
});
afterEach(async () => {
  await platform.close?.();
  await sim.stop();
});

const lists = (path: string) => sent.filter((r) => new URL(r.url).pathname.endsWith(path));
const full = (path: string) => lists(path).filter((r) => new URL(r.url).search === '').length;
const changes = (path: string, param: string) =>
  lists(path).filter((r) => new URL(r.url).searchParams.has(param)).length;

async function until(it: AsyncIterator<WatchEvent>, match: (e: WatchEvent) => boolean): Promise<WatchEvent> {
  for (;;) {
    const next = await it.next();
    if (next.done) throw new Error('the watch ended');
    if (match(next.value)) return next.value;
  }
}

it('sees a volume deleted between resyncs through the changes lists, with one full list per kind', async () => {
  sim.openstack.delays.volumeDeleteMs = 300;
  const volume = await platform.createVolume({ name: 'w1', sizeGiB: 1, availabilityZone: 'az-1' });
  const watch = platform.watch({ volumes: {}, servers: {} }, { pollMs: 100, resyncMs: 600_000 });
  const it = watch[Symbol.asyncIterator]();
  try {
    await until(it, (e) => e.type === 'synced');
    await platform.deleteVolume({ volumeId: volume.id }, { wait: false });
    const gone = await until(it, (e) => e.type === 'deleted');
    expect(gone).toMatchObject({ kind: 'volume', id: volume.id });
  } finally {
    watch.close();
  }
  expect(full('/servers/detail')).toBe(1);
  expect(full('/volumes/detail')).toBe(1);
  expect(changes('/volumes/detail', 'updated_at')).toBeGreaterThan(1);
  // each service gets only its own microversion header
  for (const r of lists('/volumes/detail'))
    expect(r.headers.get('openstack-api-version')).toBe('volume 3.60');
  for (const r of lists('/servers/detail'))
    expect(r.headers.get('openstack-api-version')).toMatch(/^compute /);
});

it('lists in full only at resync, and changes only on every other tick', async () => {
  const started = Date.now();
  const watch = platform.watch({ volumes: {}, servers: {} }, { pollMs: 100, resyncMs: 500 });
  const it = watch[Symbol.asyncIterator]();
  try {
    await until(it, (e) => e.type === 'synced');
    await new Promise((r) => setTimeout(r, 1_250));
  } finally {
    watch.close();
  }
  const elapsed = Date.now() - started;
  // per kind, the first list and one resync per 500 ms are full (the last may be in flight)
  expect(full('/servers/detail')).toBeGreaterThanOrEqual(2);
  expect(full('/servers/detail')).toBeLessThanOrEqual(2 + Math.floor(elapsed / 500));
  // a close between a tick's volume list and its server list leaves them one apart
  expect(Math.abs(full('/volumes/detail') - full('/servers/detail'))).toBeLessThanOrEqual(1);
  expect(changes('/servers/detail', 'changes-since')).toBeGreaterThan(5);
  expect(changes('/volumes/detail', 'updated_at')).toBeGreaterThan(5);
});
