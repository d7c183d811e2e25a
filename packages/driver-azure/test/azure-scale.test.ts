import { BrokerError, type Clock } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armBudgets, pauseOnThrottle } from '../src/arm-request-budget.js';
import { azureOnFake } from './support/azure-target.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const VM = {
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
  availabilityZone: '1',
};
const OFF = {
  scale: { coalescePolling: false, singleFlightReads: false, adaptivePolling: false, requestBudget: false },
};

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure under the scale options', () => {
  it('concurrent reads of one disk share one GET (single flight)', async () => {
    const { fake, driver } = azureOnFake();
    const volumeId = fake.addDisk('1');
    const name = volumeId.split('/').pop() ?? '';
    const reads = await Promise.all([1, 2, 3].map(() => driver.getVolume({ volumeId })));
    expect(reads.map((v) => v.status)).toEqual(['available', 'available', 'available']);
    expect(fake.count('GET', new RegExp(`/disks/${name}$`))).toBe(1);
  });

  it('concurrent detach waits in one resource group share one list of its disks per tick', async () => {
    const counts: Record<string, { lists: number; gets: number }> = {};
    for (const [label, config] of [
      ['on', {}],
      ['off', OFF],
    ] as const) {
      const { fake, driver } = azureOnFake({}, config);
      const servers = await Promise.all(
        [1, 2, 3].map((n) => driver.createServer({ ...VM, name: `sg-${label}-${n}` }, { wait: WAIT })),
      );
      const disks = servers.map(() => fake.addDisk('1'));
      await Promise.all(
        servers.map((s, i) =>
          driver.attachVolume({ serverId: s.id, volumeId: disks[i] ?? '' }, { wait: WAIT }),
        ),
      );
      // the disks keep naming their VMs: the three detach waits run side by side until their deadline
      for (const id of disks) fake.forceDisk(id, 'stuck');
      const listsBefore = fake.count('GET', /\/disks$/);
      const getsBefore = fake.count('GET', /\/disks\/[^/]+$/);
      const ended = await Promise.all(
        servers.map((s, i) =>
          driver
            .detachVolume({ serverId: s.id, volumeId: disks[i] ?? '' }, { wait: { ...WAIT, timeoutMs: 600 } })
            .catch((e: unknown) => e),
        ),
      );
      expect(ended.map((e) => (e as { code?: string }).code)).toEqual(['timeout', 'timeout', 'timeout']);
      counts[label] = {
        lists: fake.count('GET', /\/disks$/) - listsBefore,
        gets: fake.count('GET', /\/disks\/[^/]+$/) - getsBefore,
      };
      nock.cleanAll();
    }
    expect(counts.off?.lists).toBe(0);
    expect(counts.on?.lists).toBeGreaterThan(0);
    expect(counts.on?.gets).toBeLessThan(counts.off?.gets ?? 0);
  });

  it("concurrent attaches' prechecks read their disks from one shared list of the group, not one GET each", async () => {
    const counts: Record<string, { lists: number; gets: number }> = {};
    for (const [label, config] of [
      ['on', {}],
      ['off', OFF],
    ] as const) {
      const { fake, driver } = azureOnFake({}, config);
      const servers = await Promise.all(
        [1, 2, 3, 4].map((n) => driver.createServer({ ...VM, name: `pc-${label}-${n}` }, { wait: WAIT })),
      );
      const disks = servers.map(() => fake.addDisk('1'));
      const listsBefore = fake.count('GET', /\/disks$/);
      const getsBefore = fake.count('GET', /\/disks\/[^/]+$/);
      // no wait: the only disk reads are the prechecks'
      const attached = await Promise.all(
        servers.map((s, i) =>
          driver.attachVolume({ serverId: s.id, volumeId: disks[i] ?? '' }, { wait: false }),
        ),
      );
      expect(attached.map((a) => a.state)).toEqual(['attaching', 'attaching', 'attaching', 'attaching']);
      counts[label] = {
        lists: fake.count('GET', /\/disks$/) - listsBefore,
        gets: fake.count('GET', /\/disks\/[^/]+$/) - getsBefore,
      };
      nock.cleanAll();
    }
    expect(counts.off).toEqual({ lists: 0, gets: 4 });
    // started together, the first precheck too waits for company: all four join one list
    expect(counts.on).toEqual({ lists: 1, gets: 0 });
  });

  it('a precheck of a missing VM and a missing disk, read in parallel, names the VM', async () => {
    const { driver } = azureOnFake();
    const error = await driver
      .attachVolume({ serverId: 'no-such-vm', volumeId: 'no-such-disk' }, { wait: false })
      .catch((e: unknown) => e as BrokerError);
    expect(error).toMatchObject({ code: 'not-found' });
    expect((error as BrokerError).message).toContain('no-such-vm');
  });

  it("a 429's Retry-After the call will wait out pauses reads, writes and deletes; one past the cap pauses nobody", () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now, random: () => 0.5, sleep: async () => {} };
    const budgets = armBudgets({ requestsPerSecond: 25, burst: 250 }, clock, 60_000);
    const throttled = (ms: number) => new BrokerError('throttled', 'TooManyRequests', { retryAfterMs: ms });
    pauseOnThrottle(budgets, throttled(2_000), undefined, 60_000);
    for (const bucket of [budgets.reads, budgets.writes, budgets.deletes])
      expect(bucket.pausedUntil).toBe(now + 2_000);
    now += 5_000;
    pauseOnThrottle(budgets, throttled(120_000), undefined, 60_000);
    expect(budgets.reads.pausedUntil).toBeLessThan(now);
    pauseOnThrottle(
      budgets,
      new BrokerError('unavailable', '503', { retryAfterMs: 1_000 }),
      undefined,
      60_000,
    );
    expect(budgets.writes.pausedUntil).toBeLessThan(now);
  });
});
