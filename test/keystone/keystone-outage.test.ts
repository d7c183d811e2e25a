/**
 * A Keystone outage inside a token's renewal window costs no call while the
 * token is still valid, and brings a handful of renewal attempts under one
 * shared backoff, not one storm per call. Against cloud-sim's Keystone with
 * short-lived tokens, in real time (a few seconds per case).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloudSim,
  type FaultAction,
  passwordAuthOf,
  startCloudSim,
} from '../../packages/cloud-sim/src/index.js';
import { createDriver, MemoryEventSink } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

const TOKEN_TTL_MS = 8_000;
const RENEW_BEFORE_MS = 6_000; // the renewal window opens 2 s after the token is issued
const TOKENS = 'POST /v3/auth/tokens';

let sim: CloudSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function outage(action: FaultAction) {
  sim = await startCloudSim({ regions: [{ name: 'az1' }], tokenTtlMs: TOKEN_TTL_MS, seed: 16 });
  const events = new MemoryEventSink();
  const driver = createDriver(
    openstackDriver,
    {
      auth: passwordAuthOf(sim.credentials),
      region: 'az1',
      requestTimeoutMs: 1_000,
      caching: { tokenRenewBeforeMs: RENEW_BEFORE_MS },
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    },
    { services: { events } },
  );
  const volume = sim.openstack.createVolume({ region: 'az1' });
  const started = Date.now();
  await driver.getVolume({ volumeId: volume.id });
  await sleep(2_300 - (Date.now() - started)); // inside the renewal window
  sim.faults.add({ id: 'keystone-down', method: 'POST', path: '/v3/auth/tokens', action });
  let ok = 0;
  const failed: string[] = [];
  // Calls until shortly before the token really expires: Keystone writes expires_at in whole
  // seconds (up to 1 s early) and the driver stops using a token 0.8 s before it.
  while (Date.now() - started < TOKEN_TTL_MS - 2_000) {
    const calls = Array.from({ length: 5 }, () =>
      driver.getVolume({ volumeId: volume.id }, { signal: AbortSignal.timeout(3_000) }),
    );
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === 'fulfilled') ok++;
      else failed.push(String((result.reason as Error).message));
    }
    await sleep(100);
  }
  const renewals = sim.count(TOKENS) - 1;
  const reauths = events.ofType('reauth').length;
  sim.faults.remove('keystone-down');
  // Keystone is back: the next token comes (the backoff lets a try through within its step).
  await sleep(TOKEN_TTL_MS - (Date.now() - started) + 200);
  const after = await driver.getVolume({ volumeId: volume.id }, { signal: AbortSignal.timeout(20_000) }).then(
    () => 'ok',
    (e: unknown) => String(e),
  );
  return { ok, failed, renewals, reauths, after };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe('a Keystone outage inside the renewal window', () => {
  it('Keystone answering 503: no call fails while the token is valid, renewals back off', async () => {
    const run = await outage({ type: 'unavailable' });
    console.info('keystone 503 outage:', { ...run, failed: run.failed.length });
    expect(run.failed).toEqual([]);
    expect(run.ok).toBeGreaterThan(50);
    // One shared backoff (1 s, 2 s, ...) over ~3 s of outage: a few attempts, each up to 3 requests.
    expect(run.renewals).toBeLessThanOrEqual(9);
    expect(run.reauths).toBeLessThanOrEqual(4);
    expect(run.after).toBe('ok');
  }, 30_000);

  it('Keystone hanging (no answer): no call fails or waits on it while the token is valid', async () => {
    const run = await outage({ type: 'latency', ms: 10_000 });
    console.info('keystone hang outage:', { ...run, failed: run.failed.length });
    expect(run.failed).toEqual([]);
    expect(run.ok).toBeGreaterThan(50);
    expect(run.renewals).toBeLessThanOrEqual(9);
    expect(run.after).toBe('ok');
  }, 30_000);
});
