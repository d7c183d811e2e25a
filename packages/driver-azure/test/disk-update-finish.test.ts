import { createDriver } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureDriver } from '../src/index.js';
import { azureConfig, azureOnFake } from './support/azure-target.js';
import { instantClock } from './support/instant-clock.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const VM = {
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
  availabilityZone: '1',
};
const OPERATION = /\/locations\/[^/]+\/operations\//;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('the end of a batched VM update', () => {
  it('a throttled poll of the update is polled again, not the failure of every caller of the batch', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-poll-429' }, { wait: WAIT });
    const disks = [fake.addDisk('1'), fake.addDisk('1')];
    fake.injected.push({
      method: 'GET',
      path: OPERATION,
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
      headers: { 'Retry-After': '0' },
    });
    const attached = await Promise.all(
      disks.map((volumeId) => driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT })),
    );
    expect(attached.map((a) => a.state)).toEqual(['attached', 'attached']);
    // the injected reply was used: a poll was throttled and the next one ended the update
    expect(fake.injected).toHaveLength(0);
    expect(fake.count('PATCH', /virtualMachines/)).toBe(1);
  });

  it('the first poll of the update comes one poll interval after ARM accepted it', async () => {
    const clock = instantClock();
    const { fake, driver } = azureOnFake({}, { pollIntervalMs: 700 }, { clock });
    const server = await driver.createServer({ ...VM, name: 'sg-first-poll' }, { wait: WAIT });
    const volumeId = fake.addDisk('1');
    // each request the fake sees, stamped with the (virtual) clock's time
    const stamps: { method: string; path: string; at: number }[] = [];
    const push = fake.seen.push.bind(fake.seen);
    fake.seen.push = (...items) => {
      for (const item of items) stamps.push({ method: item.method, path: item.path, at: clock.now() });
      return push(...items);
    };
    await driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
    const patch = stamps.find((r) => r.method === 'PATCH' && /virtualMachines/.test(r.path));
    const poll = stamps.find((r) => r.method === 'GET' && OPERATION.test(r.path));
    expect(patch).toBeDefined();
    expect(poll).toBeDefined();
    expect((poll?.at ?? 0) - (patch?.at ?? 0)).toBeGreaterThanOrEqual(700);
  });

  it('with updates of several VMs under way, the shared VM list tells each end: one poll of each operation', async () => {
    // A poll interval far past the calls' deadline: only the VM list can end these waits in time.
    // Each operation ends at the second read of its VM (here a list of the VMs reads each).
    const { fake, driver: creator } = azureOnFake({ pollsToFinish: 2 });
    const servers = await Promise.all(
      [1, 2, 3].map((n) => creator.createServer({ ...VM, name: `sg-list-${n}` }, { wait: WAIT })),
    );
    const driver = createDriver(azureDriver, azureConfig({ pollIntervalMs: 60_000 }));
    const disks = servers.map(() => fake.addDisk('1'));
    const pollsBefore = fake.count('GET', OPERATION);
    const listsBefore = fake.count('GET', /\/virtualMachines$/);
    const attached = await Promise.all(
      servers.map((s, i) =>
        driver.attachVolume({ serverId: s.id, volumeId: disks[i] ?? '' }, { wait: WAIT }),
      ),
    );
    expect(attached.map((a) => a.state)).toEqual(['attached', 'attached', 'attached']);
    expect(fake.count('PATCH', /virtualMachines/)).toBe(3);
    // each operation polled once, when the list showed its VM no longer Updating
    expect(fake.count('GET', OPERATION) - pollsBefore).toBe(3);
    expect(fake.count('GET', /\/virtualMachines$/) - listsBefore).toBeGreaterThan(0);
  });

  it('one VM update alone keeps to the poll interval: no VM list', async () => {
    const { fake, driver } = azureOnFake({}, { pollIntervalMs: 50 });
    const server = await driver.createServer({ ...VM, name: 'sg-alone' }, { wait: WAIT });
    const volumeId = fake.addDisk('1');
    const listsBefore = fake.count('GET', /\/virtualMachines$/);
    await driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
    expect(fake.count('GET', /\/virtualMachines$/)).toBe(listsBefore);
  });
});
