import { isBrokerError } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureOnFake } from './support/azure-target.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const VM = {
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
  availabilityZone: '1',
};
// Wide enough that four callers' prechecks (two reads each) land in it on a loaded machine.
const SCALE = { scale: { attachBatchWindowMs: 400 } };

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure attach batching through the driver', () => {
  it('four attaches to one VM at once make one If-Match PATCH; each caller gets its own LUN', async () => {
    const { fake, driver } = azureOnFake({}, SCALE);
    const server = await driver.createServer({ ...VM, name: 'sg-batch' }, { wait: WAIT });
    const disks = [1, 2, 3, 4].map(() => fake.addDisk('1'));
    const attachments = await Promise.all(
      disks.map((volumeId) => driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT })),
    );
    expect(fake.count('PATCH', /virtualMachines/)).toBe(1);
    expect(attachments.map((a) => a.state)).toEqual(['attached', 'attached', 'attached', 'attached']);
    expect(new Set(attachments.map((a) => a.device)).size).toBe(4);
    expect(attachments.map((a) => a.volumeId)).toEqual(disks);
    const patch = fake.seen.find((s) => s.method === 'PATCH');
    expect(patch?.headers['if-match']).toMatch(/^"\d+"$/);

    const detached = await Promise.all(
      disks.map((volumeId) => driver.detachVolume({ serverId: server.id, volumeId }, { wait: WAIT })),
    );
    expect(detached.map((d) => d.detached)).toEqual([true, true, true, true]);
    expect(fake.count('PATCH', /virtualMachines/)).toBe(2);
    expect(fake.vms.get('sg-batch')?.dataDisks).toEqual([]);
  });

  it('a disk another VM holds fails only its own caller; the batch is split and the others attach', async () => {
    const { fake, driver } = azureOnFake({}, SCALE);
    const [mine, other] = await Promise.all([
      driver.createServer({ ...VM, name: 'sg-mine' }, { wait: WAIT }),
      driver.createServer({ ...VM, name: 'sg-other' }, { wait: WAIT }),
    ]);
    const held = fake.addDisk('1');
    await driver.attachVolume({ serverId: other.id, volumeId: held }, { wait: WAIT });
    // the disk looks free to the precheck (a stale read), so only Compute's refusal catches it
    const disk = fake.disks.get(held.split('/').pop() ?? '');
    if (disk) disk.managedBy = undefined;
    const free = [fake.addDisk('1'), fake.addDisk('1')];
    const patchesBefore = fake.count('PATCH', /virtualMachines/);
    const results = await Promise.all(
      [free[0], held, free[1]].map((volumeId) =>
        driver
          .attachVolume({ serverId: mine.id, volumeId: volumeId ?? '' }, { wait: WAIT })
          .catch((e: unknown) => e),
      ),
    );
    expect(results[1]).toMatchObject({ code: 'conflict', heldBy: other.id });
    expect(results[0]).toMatchObject({ state: 'attached' });
    expect(results[2]).toMatchObject({ state: 'attached' });
    // the refused batch, then one update per disk
    expect(fake.count('PATCH', /virtualMachines/) - patchesBefore).toBe(4);
  });

  it("one caller's abort before the update is sent leaves its disk out; the others attach", async () => {
    const { fake, driver } = azureOnFake({}, SCALE);
    const server = await driver.createServer({ ...VM, name: 'sg-abort' }, { wait: WAIT });
    const [a, gone, b] = [fake.addDisk('1'), fake.addDisk('1'), fake.addDisk('1')];
    const leaving = new AbortController();
    const calls = [
      driver.attachVolume({ serverId: server.id, volumeId: a }, { wait: WAIT }),
      driver
        .attachVolume({ serverId: server.id, volumeId: gone }, { wait: WAIT, signal: leaving.signal })
        .catch((e: unknown) => e),
      driver.attachVolume({ serverId: server.id, volumeId: b }, { wait: WAIT }),
    ];
    // abort once its precheck has read the disk (its own GET, or the group's list it shares with
    // the other prechecks): inside the window, before the batch goes out
    const name = gone.split('/').pop() ?? '';
    const read = (path: string) => path.endsWith(name) || /\/disks$/.test(path);
    const watch = setInterval(() => {
      if (fake.seen.some((r) => r.method === 'GET' && read(r.path))) {
        leaving.abort();
        clearInterval(watch);
      }
    }, 1);
    const [first, aborted, second] = await Promise.all(calls);
    expect(isBrokerError(aborted, 'aborted')).toBe(true);
    expect(first).toMatchObject({ state: 'attached' });
    expect(second).toMatchObject({ state: 'attached' });
    expect(fake.count('PATCH', /virtualMachines/)).toBe(1);
    const listed = fake.vms.get('sg-abort')?.dataDisks.map((d) => (d.managedDisk as { id: string }).id);
    // one update carries both (their order follows whose precheck ended first)
    expect(listed?.sort()).toEqual([a, b].sort());
  });
});
