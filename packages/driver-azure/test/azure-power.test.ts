import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureOnFake } from './support/azure-target.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure power', () => {
  it('stops with powerOff, or with deallocate when asked, and a repeat sends nothing', async () => {
    const { fake, driver } = azureOnFake();
    const made = await driver.createServer(
      {
        name: 'sg-server-1',
        image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
        flavor: 'Standard_B2s',
      },
      { wait: WAIT },
    );
    const stop = driver.stopServer;
    const start = driver.startServer;
    if (!stop || !start) throw new Error('the azure driver declares power');
    const stopped = await stop({ serverId: made.id }, { wait: WAIT });
    expect(stopped).toMatchObject({ powerState: 'stopped', providerPowerState: 'PowerState/stopped' });
    expect(fake.count('POST', /\/powerOff$/)).toBe(1);
    await stop({ serverId: made.id }, { wait: WAIT });
    expect(fake.count('POST', /\/powerOff$/), 'a stopped VM is left as it is').toBe(1);

    await start({ serverId: made.id }, { wait: WAIT });
    const deallocated = await stop({ serverId: made.id, deallocate: true }, { wait: WAIT });
    expect(deallocated).toMatchObject({
      status: 'stopped',
      powerState: 'stopped',
      providerPowerState: 'PowerState/deallocated',
    });
    expect(fake.count('POST', /\/deallocate$/)).toBe(1);
    expect(fake.count('POST', /\/start$/)).toBe(1);
  });
});
