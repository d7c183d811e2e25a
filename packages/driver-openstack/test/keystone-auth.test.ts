import { isBrokerError } from '@hybrid-broker/core';
import { systemClock } from '@hybrid-broker/core/driver-kit';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { FAKE } from './support/fake-cloud.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const TOKENS = 'POST /v3/auth/tokens';

describe('Keystone token cache and re-auth', () => {
  it('1,000 concurrent identical reads make two reads and one token request (single flight)', async () => {
    const { cloud, driver } = fakeTarget();
    const volume = cloud.addVolume();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => driver.getVolume({ volumeId: volume.id })),
    );
    expect(results.every((v) => v.id === volume.id)).toBe(true);
    expect(cloud.count(TOKENS)).toBe(1);
    // The first read's GET, and one more shared by every read that came while it was under way:
    // they wait for the poll grid's next tick on one timer and go as one batch (a batch of one id
    // is a GET too, not the project's list). One GET in all when the first is still under way at
    // that tick (a loaded machine): the batch's GET then joins it (single flight).
    const gets = cloud.count('GET /v3/{project}/volumes/{id}');
    expect(gets).toBeGreaterThanOrEqual(1);
    expect(gets).toBeLessThanOrEqual(2);
    expect(cloud.count('GET /v3/{project}/volumes/detail')).toBe(0);
  });

  it('1,000 concurrent calls make exactly one token request', async () => {
    // Every call its own request, at once: no shared reads, no request budget.
    const { cloud, driver } = fakeTarget({
      config: { scale: { coalescePolling: false, singleFlightReads: false, requestBudget: false } },
    });
    const volume = cloud.addVolume();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => driver.getVolume({ volumeId: volume.id })),
    );
    expect(results).toHaveLength(1000);
    expect(results.every((v) => v.id === volume.id)).toBe(true);
    expect(cloud.count(TOKENS)).toBe(1);
    expect(cloud.count('GET /v3/{project}/volumes/{id}')).toBe(1000);
    // nock 15 intercepts through @mswjs/interceptors: 1,000 requests took 21-23 s on a
    // loaded 2-core machine (nock 14: 8-15 s), past the 15 s default.
  }, 60_000);

  it('a token revoked mid-run causes exactly one re-auth shared by all concurrent callers', async () => {
    const { cloud, driver, events } = fakeTarget();
    const volume = cloud.addVolume();
    await driver.getVolume({ volumeId: volume.id });
    expect(cloud.count(TOKENS)).toBe(1);
    cloud.tokens.clear(); // revoked: every request with the old token now gets a 401
    const results = await Promise.all(
      Array.from({ length: 200 }, () => driver.getVolume({ volumeId: volume.id })),
    );
    expect(results.every((v) => v.id === volume.id)).toBe(true);
    expect(cloud.count(TOKENS)).toBe(2);
    expect(events.ofType('reauth').map((e) => e.reason)).toEqual(['initial', 'unauthorized']);
  });

  it('a second 401 after the re-auth is auth-failed, after exactly one re-auth', async () => {
    const { cloud, driver, queue } = fakeTarget();
    const volume = cloud.addVolume();
    const unauthorized = {
      status: 401,
      body: { error: { code: 401, message: 'no', title: 'Unauthorized' } },
    };
    queue.push({ key: 'GET /v3/{project}/volumes/{id}', ...unauthorized });
    queue.push({ key: 'GET /v3/{project}/volumes/{id}', ...unauthorized });
    const error = await driver.getVolume({ volumeId: volume.id }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'auth-failed')).toBe(true);
    expect(cloud.count(TOKENS)).toBe(2);
    expect(cloud.count('GET /v3/{project}/volumes/{id}')).toBe(2);
  });

  it('renews the token before expires_at without waiting for a 401', async () => {
    let skew = 0; // how far our clock runs ahead of the fake Keystone's
    const clock = { ...systemClock, now: () => Date.now() + skew };
    const { cloud, driver, events } = fakeTarget({
      config: { caching: { tokenRenewBeforeMs: 120_000 } },
      services: { clock },
    });
    const volume = cloud.addVolume();
    await driver.getVolume({ volumeId: volume.id });
    skew = 3_600_000 - 121_000; // one second before the renewal margin of a one-hour token
    await driver.getVolume({ volumeId: volume.id });
    expect(cloud.count(TOKENS)).toBe(1);
    skew = 3_600_000 - 119_000; // inside the margin: renewed before use
    await driver.getVolume({ volumeId: volume.id });
    expect(cloud.count(TOKENS)).toBe(2);
    expect(events.ofType('reauth').map((e) => e.reason)).toEqual(['initial', 'expiring']);
    expect(events.ofType('request').filter((e) => e.status === 401)).toHaveLength(0);
  });

  it('a wrong password is auth-failed naming Keystone, without the password', async () => {
    const { driver, cloud } = fakeTarget({
      config: {
        auth: {
          method: 'password',
          url: `${FAKE.keystone}/v3`,
          userId: FAKE.userId,
          password: 'wrong-canary-secret',
          projectId: FAKE.projectId,
        },
      },
    });
    const error = await driver
      .getServer({ serverId: '2390fb4d-1693-45d7-b309-e29c4af16538' })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'auth-failed')).toBe(true);
    expect(String((error as Error).message)).toMatch(/keystone POST .*\/v3\/auth\/tokens failed: 401/);
    // Which settings were sent, by name only: a wrong user or project is told from a wrong password.
    expect(String((error as Error).message)).toMatch(
      / \(platforms\.\S+\.auth: userId, password, projectId\)$/,
    );
    expect(JSON.stringify(error)).not.toContain('wrong-canary-secret');
    expect(String((error as Error).message)).not.toContain('wrong-canary-secret');
    expect(cloud.count(TOKENS)).toBe(1);
  });
});

describe('Keystone auth methods send the documented request bodies', () => {
  it('password by user id and project id', async () => {
    const { driver, cloud } = fakeTarget({
      config: {
        auth: {
          method: 'password',
          url: FAKE.keystone,
          userId: FAKE.userId,
          password: FAKE.password,
          projectId: FAKE.projectId,
        },
      },
    });
    await driver.getVolume({ volumeId: cloud.addVolume().id });
    expect(cloud.keystoneBodies[0]).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { id: FAKE.userId, password: FAKE.password } } },
        scope: { project: { id: FAKE.projectId } },
      },
    });
  });

  it('password by names and domains', async () => {
    const { driver, cloud } = fakeTarget();
    await driver.getVolume({ volumeId: cloud.addVolume().id });
    expect(cloud.keystoneBodies[0]).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'demo', domain: { name: 'Default' }, password: FAKE.password } },
        },
        scope: { project: { name: 'demo', domain: { name: 'Default' } } },
      },
    });
  });

  it('application credential by id, and by name with its user', async () => {
    const byId = fakeTarget({
      config: {
        auth: {
          method: 'application-credential',
          url: FAKE.keystone,
          applicationCredentialId: 'ac1',
          applicationCredentialSecret: FAKE.password,
        },
      },
    });
    await byId.driver.getVolume({ volumeId: byId.cloud.addVolume().id });
    expect(byId.cloud.keystoneBodies[0]).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: 'ac1', secret: FAKE.password },
        },
      },
    });
    nock.cleanAll();
    const byName = fakeTarget({
      config: {
        auth: {
          method: 'application-credential',
          url: FAKE.keystone,
          applicationCredentialName: 'sg',
          username: 'demo',
          userDomainId: 'default',
          applicationCredentialSecret: FAKE.password,
        },
      },
    });
    await byName.driver.getVolume({ volumeId: byName.cloud.addVolume().id });
    expect(byName.cloud.keystoneBodies[0]).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            name: 'sg',
            user: { name: 'demo', domain: { id: 'default' } },
            secret: FAKE.password,
          },
        },
      },
    });
  });

  it('a pre-issued token Keystone does not know (404 on validation) is auth-failed, not not-found', async () => {
    const { driver, cloud } = fakeTarget({
      config: { auth: { method: 'token', url: FAKE.keystone, token: 'gAAAAAB-revoked-token-value' } },
    });
    const error = await driver.getVolume({ volumeId: cloud.addVolume().id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-failed', retryable: false });
    expect(String((error as Error).message)).not.toContain('gAAAAAB-revoked-token-value');
  });

  it('a pre-issued token validates itself for its catalog, or is rescoped to a project', async () => {
    const token = 'gAAAAABpre-issued-token-value';
    const { driver, cloud } = fakeTarget({
      config: { auth: { method: 'token', url: FAKE.keystone, token } },
    });
    cloud.tokens.add(token);
    await driver.getVolume({ volumeId: cloud.addVolume().id });
    expect(cloud.count('GET /v3/auth/tokens')).toBe(1);
    expect(cloud.count(TOKENS)).toBe(0);
    nock.cleanAll();
    const rescoped = fakeTarget({
      config: { auth: { method: 'token', url: FAKE.keystone, token, projectId: FAKE.projectId } },
    });
    rescoped.cloud.tokens.add(token);
    await rescoped.driver.getVolume({ volumeId: rescoped.cloud.addVolume().id });
    expect(rescoped.cloud.keystoneBodies[0]).toEqual({
      auth: {
        identity: { methods: ['token'], token: { id: token } },
        scope: { project: { id: FAKE.projectId } },
      },
    });
  });
});
