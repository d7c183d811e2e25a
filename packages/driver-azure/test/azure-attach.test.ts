import { createDriver, isBrokerError, MemoryEventSink } from '@hybrid-broker/core';
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

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure attach and detach', () => {
  it('attaches at the first free LUN with If-Match, reports lun:N, and detaches', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-att' }, { wait: WAIT });
    const volumeId = fake.addDisk('1');
    const attachment = await driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
    expect(attachment).toMatchObject({ state: 'attached', device: 'lun:0', providerState: 'Attached' });
    const patch = fake.seen.find((s) => s.method === 'PATCH');
    expect(patch?.headers['if-match']).toBe('"1"');
    expect(patch?.body).toEqual({
      properties: {
        storageProfile: {
          dataDisks: [{ lun: 0, createOption: 'Attach', caching: 'None', managedDisk: { id: volumeId } }],
        },
      },
    });
    const volume = await driver.getVolume({ volumeId });
    expect(volume).toMatchObject({ status: 'in-use', attachments: [{ serverId: server.id }] });
    const detached = await driver.detachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
    expect(detached).toMatchObject({ detached: true, volume: { status: 'available', attachments: [] } });
  });

  it('honours a requested lun:N and refuses a taken one as conflict', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-lun' }, { wait: WAIT });
    const a = fake.addDisk('1');
    const b = fake.addDisk('1');
    expect(
      (await driver.attachVolume({ serverId: server.id, volumeId: a, device: 'lun:7' }, { wait: WAIT }))
        .device,
    ).toBe('lun:7');
    const taken = await driver
      .attachVolume({ serverId: server.id, volumeId: b, device: 'lun:7' }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(taken).toMatchObject({ code: 'conflict', field: 'device' });
    const bad = await driver
      .attachVolume({ serverId: server.id, volumeId: b, device: '/dev/sdc' }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid-request', field: 'device' });
  });

  it('two brokers attaching to one VM at once both end attached: the loser of the ETag race re-reads and retries', async () => {
    // batching off: each broker sends its own update at once, so the two race on the ETag
    const unbatched = { scale: { attachBatchWindowMs: 0 } };
    const { fake, driver: first } = azureOnFake({}, unbatched);
    // a second broker (its own per-server lock) on the same cloud: only the ETag keeps the disks apart
    const second = createDriver(azureDriver, azureConfig(unbatched));
    const server = await first.createServer({ ...VM, name: 'sg-race' }, { wait: WAIT });
    await second.getServer({ serverId: server.id }); // both drivers loaded, so their requests interleave
    const [a, b] = [fake.addDisk('1'), fake.addDisk('1')];
    const attachments = await Promise.all([
      first.attachVolume({ serverId: server.id, volumeId: a }, { wait: WAIT }),
      second.attachVolume({ serverId: server.id, volumeId: b }, { wait: WAIT }),
    ]);
    expect(attachments.map((x) => x.state)).toEqual(['attached', 'attached']);
    expect(new Set(attachments.map((x) => x.device)).size).toBe(2);
    expect(fake.count('PATCH', /virtualMachines/)).toBe(3);
    const vm = fake.vms.get('sg-race');
    expect(vm?.dataDisks.map((d) => (d.managedDisk as { id: string }).id).sort()).toEqual([a, b].sort());
    for (const volumeId of [a, b]) expect((await first.getVolume({ volumeId })).status).toBe('in-use');
  });

  it('a 429 with Retry-After is waited out for that long, then the call succeeds', async () => {
    const events = new MemoryEventSink();
    const clock = instantClock();
    const { fake, driver } = azureOnFake({}, {}, { events, clock });
    const volumeId = fake.addDisk('1');
    fake.injected.push({
      method: 'GET',
      path: /\/disks\//,
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
      headers: { 'Retry-After': '17' },
    });
    const volume = await driver.getVolume({ volumeId });
    expect(volume.status).toBe('available');
    expect(clock.sleeps).toContain(17_000);
    expect(events.ofType('retry')).toMatchObject([
      { operation: 'getVolume', code: 'throttled', delayMs: 17_000 },
    ]);
    const requests = events.ofType('request').filter((e) => e.url.includes('/disks/'));
    expect(requests.map((e) => e.status)).toEqual([429, 200]);
    expect(requests[0]?.url).not.toContain('api-version');
    expect(requests[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('errors carry the ARM code, status and x-ms-request-id; quota text makes OperationNotAllowed quota-exceeded', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer({ ...VM, name: 'sg-quota' }, { wait: WAIT });
    const volumeId = fake.addDisk('1');
    fake.injected.push({
      method: 'PATCH',
      path: /virtualMachines/,
      status: 409,
      body: {
        error: {
          code: 'OperationNotAllowed',
          message:
            'Operation could not be completed as it results in exceeding approved Total Regional Cores quota.',
        },
      },
      headers: { 'x-ms-request-id': 'req-quota-1' },
    });
    const error = await driver
      .attachVolume({ serverId: server.id, volumeId }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'quota-exceeded',
      providerCode: 'OperationNotAllowed',
      statusCode: 409,
      requestId: 'req-quota-1',
      operation: 'attachVolume',
    });
  });

  it('an abort while a create is being polled stops the poller at once', async () => {
    const { fake, driver } = azureOnFake({ pollsToFinish: Number.MAX_SAFE_INTEGER });
    const controller = new AbortController();
    let abortedAt = 0;
    // abort once the poller is known to be polling the operation
    const watch = setInterval(() => {
      if (fake.count('GET', /\/operations\//) >= 3) {
        abortedAt = Date.now();
        controller.abort();
        clearInterval(watch);
      }
    }, 1);
    const error = await driver
      .createServer({ ...VM, name: 'sg-abort' }, { wait: WAIT, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(500);
    const polls = fake.count('GET', /\/operations\//);
    expect(polls).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.count('GET', /\/operations\//)).toBe(polls);
  });
});
