import { createDriver, MemoryEventSink } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { openstackDriver } from '../src/index.js';
import { FAKE } from './support/fake-cloud.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
// Also each call's whole deadline: room for a create on a busy machine.
const WAIT = { timeoutMs: 2_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };

describe('no secret appears in any error or event', () => {
  it('the canary password and the issued tokens are in no error message, error JSON or event', async () => {
    const target = fakeTarget();
    const { driver, cloud, events, fixtures, queue } = target;
    const errors: unknown[] = [];
    const keep = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));
    const server = await driver.createServer(
      { name: 'x', image: fixtures.image, flavor: fixtures.flavor },
      { wait: WAIT },
    );
    const volume = cloud.addVolume('az-1');
    cloud.tokens.clear(); // forces a re-auth, so the password is sent twice
    await keep(driver.getServer({ serverId: 'a0000000-0000-4000-8000-00000000dead' }));
    queue.push({
      key: 'GET /v3/{project}/volumes/{id}',
      status: 500,
      body: { computeFault: { code: 500, message: 'boom' } },
    });
    await keep(driver.getVolume({ volumeId: volume.id }));
    await keep(
      driver.attachVolume({ serverId: server.id, volumeId: cloud.addVolume('az-2').id }, { wait: WAIT }),
    );
    cloud.delays.attach = 60_000;
    await keep(driver.attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT }));
    expect(errors).toHaveLength(4);
    expect(cloud.keystoneBodies.length).toBe(2);
    const text = [
      ...errors.map((e) => `${(e as Error).message} ${(e as Error).stack} ${JSON.stringify(e)}`),
      JSON.stringify(events.events),
    ].join('\n');
    expect(text).not.toContain(FAKE.password);
    for (const token of cloud.tokens) expect(text).not.toContain(token);
    expect(events.ofType('request').length).toBeGreaterThan(5);
  });

  it('a wrong password is refused without the password in the error or the events', async () => {
    const events = new MemoryEventSink();
    const { cloud } = fakeTarget();
    const driver = createDriver(
      openstackDriver,
      {
        auth: {
          method: 'password',
          url: FAKE.keystone,
          userId: 'u',
          password: 'canary-wrong-Pa55',
          projectId: 'p',
        },
      },
      { services: { events } },
    );
    const error = await driver
      .getServer({ serverId: '2390fb4d-1693-45d7-b309-e29c4af16538' })
      .catch((e: unknown) => e);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${JSON.stringify(events.events)}`;
    expect((error as { code?: string }).code).toBe('auth-failed');
    expect(text).not.toContain('canary-wrong-Pa55');
    expect(cloud.count('POST /v3/auth/tokens')).toBe(1);
  });
});
