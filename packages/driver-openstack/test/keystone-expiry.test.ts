import { systemClock } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import { FAKE } from './support/fake-cloud.js';
import { fakeTarget } from './support/fake-target.js';
import { tokenView } from './support/fake-views.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const TOKENS = 'POST /v3/auth/tokens';
const VALIDATE = 'GET /v3/auth/tokens';
const HOUR = 3_600_000;

/** A clock `ahead` ms ahead of the fake Keystone's (which is the wall clock). */
function skewedClock() {
  const clock = { ahead: 0, ...systemClock, now: () => Date.now() + clock.ahead };
  return clock;
}

describe('Keystone expiry on its own clock', () => {
  it('a clock running 70 min ahead of Keystone still uses a one-hour token: one token request for six calls', async () => {
    const clock = skewedClock();
    clock.ahead = 70 * 60_000; // every token looks expired on arrival by our clock
    const { cloud, driver, events } = fakeTarget({ services: { clock } });
    const volume = cloud.addVolume();
    for (let i = 0; i < 6; i++) await driver.getVolume({ volumeId: volume.id });
    // Before the skew was measured from issued_at: 2 token requests per call (12 here), silently.
    expect(cloud.count(TOKENS)).toBe(1);
    expect(events.ofType('reauth').map((e) => e.reason)).toEqual(['initial']);
  });
});

describe('a pre-issued token (auth.method "token")', () => {
  const token = 'gAAAAABpre-issued-token-value';

  it('is validated once and trusted until its expires_at, then fails clearly without asking again', async () => {
    const clock = skewedClock();
    const { cloud, driver, events } = fakeTarget({
      config: { auth: { method: 'token', url: FAKE.keystone, token } },
      services: { clock },
    });
    cloud.tokens.add(token);
    const volume = cloud.addVolume();
    // Through the token's whole hour, renewal window included: no re-check.
    for (const at of [0, 0.5, 0.9, 0.95, 0.99].map((f) => f * HOUR)) {
      clock.ahead = at;
      await driver.getVolume({ volumeId: volume.id });
    }
    expect(cloud.count(VALIDATE)).toBe(1);
    clock.ahead = HOUR + 1_000; // expired
    const errors = await Promise.all(
      Array.from({ length: 50 }, () => driver.getVolume({ volumeId: volume.id }).catch((e: unknown) => e)),
    );
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'auth-failed', retryable: false, field: 'auth.token' });
      expect(String((error as Error).message)).toMatch(
        /pre-issued Keystone token \(auth\.token\) expired at/,
      );
      expect(String((error as Error).message)).not.toContain(token);
    }
    // Before: every call after expiry asked Keystone again with a reauth event (307 events in 70 s).
    expect(cloud.count(VALIDATE)).toBe(1);
    expect(cloud.count(TOKENS)).toBe(0);
    expect(events.ofType('reauth')).toHaveLength(1);
  });

  it('an unscoped one fails at first use naming the missing scope, and only once asks Keystone', async () => {
    const { cloud, driver, queue } = fakeTarget({
      config: { auth: { method: 'token', url: FAKE.keystone, token } },
    });
    const { project: _project, ...unscoped } = tokenView(cloud, ['password']).token;
    for (let i = 0; i < 3; i++) {
      queue.push({
        key: VALIDATE,
        status: 200,
        body: { token: { ...unscoped, catalog: [] } },
        headers: { 'x-subject-token': token },
      });
    }
    const volume = cloud.addVolume();
    for (let i = 0; i < 3; i++) {
      const error = await driver.getVolume({ volumeId: volume.id }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid-request', field: 'auth.projectId', retryable: false });
      expect(String((error as Error).message)).toMatch(
        /scoped to no project \(missing scope: auth\.projectId or auth\.projectName\)/,
      );
    }
    expect(cloud.count(VALIDATE)).toBe(1);
  });
});
