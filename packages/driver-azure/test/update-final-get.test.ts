import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutFinalGet } from '../src/disk-batch-transport.js';
import { azureOnFake } from './support/azure-target.js';
import type { Seen } from './support/fake-arm.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const VM = {
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
  availabilityZone: '1',
};
const isVmRead = (s: Seen) => s.method === 'GET' && /\/virtualMachines\/[^/]+$/.test(s.path);

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('a batched data-disk update ends on its operation, with no final read of the VM', () => {
  it('a lone attach and detach read the VM once each (the precheck), not again after the PATCH', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-lone' }, { wait: WAIT });
    const volumeId = fake.addDisk('1');
    for (const call of [
      () => driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT }),
      () => driver.detachVolume({ serverId: server.id, volumeId }, { wait: WAIT }),
    ]) {
      const from = fake.seen.length;
      await call();
      const seen = fake.seen.slice(from);
      const patchAt = seen.findIndex((s) => s.method === 'PATCH');
      expect(patchAt).toBeGreaterThan(0);
      expect(seen.slice(0, patchAt).filter(isVmRead)).toHaveLength(1);
      expect(seen.slice(patchAt).filter(isVmRead)).toHaveLength(0);
    }
    expect(fake.vms.get('sg-lone')?.dataDisks).toEqual([]);
  });

  it('the attach still answers with the LUN it sent', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-lun' }, { wait: WAIT });
    const first = await driver.attachVolume(
      { serverId: server.id, volumeId: fake.addDisk('1'), device: 'lun:3' },
      { wait: WAIT },
    );
    const second = await driver.attachVolume(
      { serverId: server.id, volumeId: fake.addDisk('1') },
      { wait: WAIT },
    );
    expect([first.device, second.device]).toEqual(['lun:3', 'lun:0']);
    expect(first.state).toBe('attached');
  });

  it('withoutFinalGet drops only the resource location of a serialized poller state', () => {
    const state = {
      status: 'running',
      config: { operationLocation: 'https://op', resourceLocation: 'https://vm', requestMethod: 'PATCH' },
    };
    expect(JSON.parse(withoutFinalGet(JSON.stringify({ state })))).toEqual({
      state: { status: 'running', config: { operationLocation: 'https://op', requestMethod: 'PATCH' } },
    });
  });
});
