import { describe, expect, it } from 'vitest';
import { parseRetryAfter, withRetry } from '../src/driver-kit.js';
import { BrokerError, type Clock } from '../src/index.js';

function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, random: () => 0.5, sleep: async (ms) => void slept.push(ms) };
}

function failing(errors: BrokerError[]) {
  let calls = 0;
  return {
    calls: () => calls,
    fn: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    },
  };
}

describe('withRetry', () => {
  it('repeats a throttled call after the Retry-After the provider gave', async () => {
    const clock = fakeClock();
    const call = failing([new BrokerError('throttled', 'slow down', { retryAfterMs: 1_500 })]);
    await expect(withRetry({ operation: 'get', idempotent: true, clock }, call.fn)).resolves.toBe('ok');
    expect(call.calls()).toBe(2);
    expect(clock.slept).toEqual([1_500]);
  });

  it('does not repeat errors that are not retryable', async () => {
    const call = failing([new BrokerError('not-found', 'gone')]);
    await expect(
      withRetry({ operation: 'get', idempotent: true, clock: fakeClock() }, call.fn),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(call.calls()).toBe(1);
  });

  it('never repeats a non-idempotent call (a create without an idempotency key), even on 503', async () => {
    const call = failing([new BrokerError('unavailable', 'try later')]);
    await expect(
      withRetry({ operation: 'createServer', idempotent: false, clock: fakeClock() }, call.fn),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(call.calls()).toBe(1);
  });

  it('stops after maxAttempts and rethrows the last error', async () => {
    const e = () => new BrokerError('unavailable', 'down');
    const call = failing([e(), e(), e(), e()]);
    await expect(
      withRetry(
        { operation: 'get', idempotent: true, clock: fakeClock(), policy: { maxAttempts: 3 } },
        call.fn,
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(call.calls()).toBe(3);
  });

  it('gives up rather than honour a Retry-After beyond the policy maximum', async () => {
    const call = failing([new BrokerError('throttled', 'much later', { retryAfterMs: 120_000 })]);
    await expect(
      withRetry({ operation: 'get', idempotent: true, clock: fakeClock() }, call.fn),
    ).rejects.toMatchObject({ code: 'throttled' });
    expect(call.calls()).toBe(1);
  });

  it('emits a retry event per repeat', async () => {
    const events: unknown[] = [];
    const call = failing([new BrokerError('unavailable', 'down')]);
    await withRetry(
      { operation: 'get', idempotent: true, clock: fakeClock(), emit: (e) => events.push(e) },
      call.fn,
    );
    expect(events).toEqual([
      { type: 'retry', operation: 'get', attempt: 1, delayMs: 100, code: 'unavailable' },
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
