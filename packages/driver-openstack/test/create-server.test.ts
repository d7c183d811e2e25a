import { type BrokerError, type FetchFn, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_METADATA_KEY } from '../src/index.js';
import { FAKE } from './support/fake-cloud.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };

/** fetch that lets the first `POST .../servers` reach Nova, then loses its response. */
function losingFirstCreate(): { fetch: FetchFn; lost: () => number } {
  let lost = 0;
  const fetch: FetchFn = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (init?.method === 'POST' && String(input).endsWith('/servers') && lost === 0) {
      lost++;
      await response.text();
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    }
    return response;
  };
  return { fetch, lost: () => lost };
}

describe('createServer', () => {
  it('a create retried after a lost response makes one server (idempotency key, paginated lookup)', async () => {
    const losing = losingFirstCreate();
    const { driver, cloud, fixtures } = fakeTarget({ pageSize: 2, services: { fetch: losing.fetch } });
    for (let i = 0; i < 5; i++) cloud.createServer({ name: `other-${i}`, imageRef: 'x', flavorRef: '1' });
    const server = await driver.createServer(
      { name: 'sg-1', image: fixtures.image, flavor: fixtures.flavor },
      { wait: WAIT, idempotencyKey: 'sg-ha-0001' },
    );
    expect(losing.lost()).toBe(1);
    expect(cloud.count('POST /v2.1/servers')).toBe(1);
    expect([...cloud.servers.values()].filter((s) => s.name === 'sg-1')).toHaveLength(1);
    expect(server.metadata[IDEMPOTENCY_METADATA_KEY]).toBe('sg-ha-0001');
    expect(server.status).toBe('running');
    // Three lookups (before the lost POST, before the retry, and once the server is built, for a
    // racer Nova accepted late: settleBuiltCreate), each following 3 pages of 2.
    expect(cloud.count('GET /v2.1/servers/detail')).toBe(9);
    const again = await driver.createServer(
      { name: 'sg-1', image: fixtures.image, flavor: fixtures.flavor },
      { wait: WAIT, idempotencyKey: 'sg-ha-0001' },
    );
    expect(again.id).toBe(server.id);
    expect(cloud.count('POST /v2.1/servers')).toBe(1);
  });

  it('without an idempotency key a lost response is not repeated', async () => {
    const losing = losingFirstCreate();
    const { driver, cloud, fixtures } = fakeTarget({ services: { fetch: losing.fetch } });
    const error = await driver
      .createServer({ name: 'sg-1', image: fixtures.image, flavor: fixtures.flavor }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    expect((error as BrokerError).message).toMatch(/ECONNRESET/);
    expect(cloud.count('POST /v2.1/servers')).toBe(1);
  });

  it('resolves image and flavor names, encodes user data, and sends the documented body', async () => {
    const { driver, cloud, fixtures } = fakeTarget();
    const server = await driver.createServer(
      {
        name: 'sg-2',
        image: fixtures.image,
        flavor: 'm1.small',
        availabilityZone: 'az-2',
        networks: ['3f1f8f3c-1111-4e6a-9e2a-1c2b3c4d5e6f'],
        securityGroups: ['default'],
        keyName: 'ops',
        userData: '#cloud-config\n',
        metadata: { role: 'sg-client' },
      },
      { wait: WAIT },
    );
    const record = cloud.servers.get(server.id);
    expect(record).toMatchObject({ imageId: FAKE.images[0].id, flavorId: '2', zone: 'az-2' });
    expect(server).toMatchObject({
      status: 'running',
      providerStatus: 'ACTIVE',
      availabilityZone: 'az-2',
      flavor: '2',
    });
    expect(server.addresses[0]).toMatchObject({ address: '192.168.1.30', version: 4, type: 'fixed' });
    expect(cloud.count('GET /v2/images')).toBe(1);
    await driver.createServer({ name: 'sg-3', image: fixtures.image, flavor: 'm1.small' }, { wait: false });
    expect(cloud.count('GET /v2/images')).toBe(1); // the name lookup is cached
    expect(cloud.count('GET /v2.1/flavors/detail')).toBe(1);
  });

  it('an unknown flavor name is invalid-request naming the field and the known flavors', async () => {
    const { driver, fixtures } = fakeTarget();
    const error = await driver
      .createServer({ name: 'x', image: fixtures.image, flavor: 'm9.huge' }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as BrokerError).field).toBe('flavor');
    expect((error as BrokerError).message).toMatch(/m1\.tiny, m1\.small/);
  });

  it('ERROR ends the wait at once with the fault message', async () => {
    const { driver, cloud, fixtures } = fakeTarget();
    cloud.nextBuildFault = 'No valid host was found. There are not enough hosts available.';
    const started = Date.now();
    const error = await driver
      .createServer(
        { name: 'x', image: fixtures.image, flavor: fixtures.flavor },
        { wait: { ...WAIT, timeoutMs: 60_000 } },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect((error as BrokerError).message).toMatch(/No valid host was found/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends the configured microversion to Nova and to no other service', async () => {
    const seen: { url: string; version: string | null }[] = [];
    const fetch: FetchFn = (input, init) => {
      seen.push({ url: String(input), version: new Headers(init?.headers).get('openstack-api-version') });
      return globalThis.fetch(input, init);
    };
    const { driver, cloud, fixtures } = fakeTarget({
      config: { novaMicroversion: '2.79' },
      services: { fetch },
    });
    const server = await driver.createServer(
      { name: 'x', image: fixtures.image, flavor: fixtures.flavor },
      { wait: WAIT },
    );
    await driver.getVolume({ volumeId: cloud.addVolume().id });
    expect(server.status).toBe('running');
    const nova = seen.filter((s) => s.url.startsWith(FAKE.nova));
    const others = seen.filter((s) => !s.url.startsWith(FAKE.nova));
    expect(nova.length).toBeGreaterThan(2);
    expect(nova.every((s) => s.version === 'compute 2.79')).toBe(true);
    expect(others.map((s) => s.version)).toEqual(others.map(() => null));
    expect(others.some((s) => s.url.startsWith(FAKE.cinder))).toBe(true);
  });

  it('deleteServer of a server already in ERROR waits while Nova shows it deleting, until the 404', async () => {
    const { driver, cloud, fixtures } = fakeTarget();
    // ERROR from the create on: with the default 5 ms build, a loaded machine could read BUILD first.
    cloud.delays.build = 0;
    await fixtures.failNextBuild?.();
    const server = await driver.createServer(
      { name: 'broken', image: fixtures.image, flavor: fixtures.flavor },
      { wait: false },
    );
    await expect(driver.getServer({ serverId: server.id })).resolves.toMatchObject({
      providerStatus: 'ERROR',
    });
    expect(await driver.deleteServer({ serverId: server.id }, { wait: WAIT })).toEqual({
      serverId: server.id,
      deleted: true,
    });
    expect(cloud.servers.has(server.id)).toBe(false);
  });

  it('deleteServer waits for the 404, and a missing server is deleted: false', async () => {
    const { driver, cloud, fixtures } = fakeTarget();
    const server = await driver.createServer(
      { name: 'x', image: fixtures.image, flavor: fixtures.flavor },
      { wait: WAIT },
    );
    expect(await driver.deleteServer({ serverId: server.id }, { wait: WAIT })).toEqual({
      serverId: server.id,
      deleted: true,
    });
    expect(cloud.servers.has(server.id)).toBe(false);
    expect(await driver.deleteServer({ serverId: server.id }, { wait: WAIT })).toEqual({
      serverId: server.id,
      deleted: false,
    });
  });
});

describe('createServer networks', () => {
  /** fetch that records the `server` object of every create. */
  function capturing(): { fetch: FetchFn; sent: Record<string, unknown>[] } {
    const sent: Record<string, unknown>[] = [];
    const fetch: FetchFn = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/servers') && typeof init.body === 'string') {
        sent.push(JSON.parse(init.body).server);
      }
      return globalThis.fetch(input, init);
    };
    return { fetch, sent };
  }

  it.each([
    ['2.79', [], 'none'],
    ['2.79', undefined, 'auto'],
    ['2.1', [], undefined],
    ['2.1', undefined, undefined],
  ] as const)('at %s, networks %j sends %j', async (mv, networks, expected) => {
    const { fetch, sent } = capturing();
    const { driver, fixtures } = fakeTarget({ config: { novaMicroversion: mv }, services: { fetch } });
    await driver.createServer(
      { name: 'sg-net', image: fixtures.image, flavor: 'm1.small', ...(networks ? { networks } : {}) },
      { wait: false },
    );
    expect(sent[0]?.networks).toEqual(expected);
  });
});
