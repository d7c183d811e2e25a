import { describe, expect, it } from 'vitest';
import {
  deadlineOf,
  parseRetryAfter,
  startCallDeadline,
  timeLeft,
  withRetry,
  wrapDriver,
} from '../src/driver-kit.js';
import { BrokerError, createDriver, memoryDriver, type PlatformDriver } from '../src/index.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 02 Dec 2026 00:00:00 GMT');
  it('reads delay-seconds, 0 and fractions', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 3 ', now)).toBe(3_000);
    expect(parseRetryAfter('0.25', now)).toBe(250);
  });
  it('reads every HTTP-date form, a past one as 0', () => {
    expect(parseRetryAfter('Wed, 02 Dec 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wednesday, 02-Dec-26 00:00:02 GMT', now)).toBe(2_000);
    expect(parseRetryAfter('Wed Dec  2 00:00:01 2026', now)).toBe(1_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores negative values and garbage that Date.parse would read as a date', () => {
    for (const bad of ['-5', '-0.5', '12abc', 'soon', '1e3', '', '  ', 'Infinity', '0x10', '2026-12-02'])
      expect(parseRetryAfter(bad, now), bad).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
  it('keeps a huge value huge, for maxRetryAfterMs to refuse', () => {
    expect(parseRetryAfter('999999999', now)).toBe(999_999_999_000);
  });
});

describe('call deadlines', () => {
  it('abort the call signal with a timeout error at the deadline', async () => {
    const deadline = startCallDeadline(undefined, 20, 'getServer');
    expect(deadlineOf(deadline.signal)).toBeGreaterThan(Date.now());
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    expect(deadline.signal.reason).toMatchObject({ code: 'timeout' });
    deadline.done();
  });

  it('pass the caller abort on, and a nested deadline never outlasts its parent', () => {
    const caller = new AbortController();
    const outer = startCallDeadline(caller.signal, 1_000, 'outer');
    const inner = startCallDeadline(outer.signal, 60_000, 'inner');
    expect(timeLeft(inner.signal)).toBeLessThanOrEqual(1_000);
    caller.abort(new Error('stop'));
    expect(inner.signal.reason).toEqual(new Error('stop'));
    inner.done();
    outer.done();
  });

  it('end a retry whose sleep would pass the deadline at once, with the failure', async () => {
    const deadline = startCallDeadline(undefined, 200, 'get');
    const started = Date.now();
    let calls = 0;
    const throttled = new BrokerError('throttled', 'slow down', { retryAfterMs: 5_000 });
    await expect(
      withRetry({ operation: 'get', idempotent: true, signal: deadline.signal }, async () => {
        calls++;
        throw throttled;
      }),
    ).rejects.toBe(throttled);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(100);
    deadline.done();
  });

  it('bound a read by ReadOptions.timeoutMs and refuse a bad one naming the field', async () => {
    const inner = createDriver(memoryDriver, {});
    const slow: PlatformDriver = {
      ...inner,
      getServer: (_r, o) =>
        new Promise((_resolve, reject) =>
          o?.signal?.addEventListener('abort', () => reject(o.signal?.reason), { once: true }),
        ),
    };
    const driver = wrapDriver(slow, { platform: 'p', now: Date.now, secrets: [], timeoutMs: 60_000 });
    const started = Date.now();
    await expect(driver.getServer({ serverId: 's' }, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(500);
    await expect(driver.getServer({ serverId: 's' }, { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'timeoutMs',
    });
  });
});
