import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureOnFake } from './support/azure-target.js';
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
    const pollsBefore = fake.count('GET', OPERATION);
    const sleepsBefore = clock.sleeps.length;
    let pollsAtSleep = -1;
    const sleep = clock.sleep;
    clock.sleep = async (ms, signal) => {
      if (ms === 700 && pollsAtSleep < 0) pollsAtSleep = fake.count('GET', OPERATION) - pollsBefore;
      return sleep(ms, signal);
    };
    await driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
    expect(clock.sleeps.slice(sleepsBefore)).toContain(700);
    // no poll of the operation before that sleep
    expect(pollsAtSleep).toBe(0);
    expect(fake.count('GET', OPERATION)).toBeGreaterThan(pollsBefore);
  });
});
