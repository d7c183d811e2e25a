import { describe, expect, it } from 'vitest';
import { PlatformScale, RequestBudget, SCALE_OFF } from '../src/driver-kit.js';
import { isBrokerError } from '../src/index.js';
import { manualClock } from './support/manual-clock.js';

/** Starts `n` takes and records the clock time each one gets its token. */
function takers(budget: RequestBudget, n: number, now: () => number, signal?: AbortSignal, lane?: string) {
  const times: number[] = [];
  const errors: unknown[] = [];
  for (let i = 0; i < n; i++) {
    budget.take(signal, undefined, lane).then(
      () => times.push(now()),
      (e: unknown) => errors.push(e),
    );
  }
  return { times, errors };
}

describe('RequestBudget', () => {
  it('lets a burst go at once, then one request per 1/rate, in arrival order', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 10, burst: 3 }, clock);
    const { times } = takers(budget, 6, clock.now);
    await clock.advance(0);
    expect(times).toEqual([0, 0, 0]);
    await clock.advance(1_000);
    expect(times).toEqual([0, 0, 0, 100, 200, 300]);
    expect(clock.pending()).toBe(0);
  });

  it('pauses every caller after a Retry-After, not just the one that got it', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 100, burst: 100 }, clock);
    await budget.take();
    budget.pause(2_000); // one caller got a 429 with Retry-After: 2
    const { times } = takers(budget, 3, clock.now);
    await clock.advance(1_999);
    expect(times).toEqual([]);
    await clock.advance(100);
    // After the pause the bucket refills from empty: the rate, not a burst.
    expect(times).toEqual([2_010, 2_020, 2_030]);
  });

  it("a lane's pause holds that lane's callers and lets the other lanes go on", async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 100, burst: 100 }, clock);
    budget.pause(1_000, 'nova writes'); // a POST got 429 with Retry-After: 1
    const writes = takers(budget, 2, clock.now, undefined, 'nova writes');
    const reads = takers(budget, 2, clock.now, undefined, 'cinder reads');
    await clock.advance(0);
    expect(reads.times).toEqual([0, 0]);
    expect(writes.times).toEqual([]);
    await clock.advance(999);
    expect(writes.times).toEqual([]);
    await clock.advance(1);
    // The lane resumes with the tokens the other lanes left: no wait beyond the Retry-After.
    expect(writes.times).toEqual([1_000, 1_000]);
    expect(clock.pending()).toBe(0);
  });

  it('a waiter of a paused lane does not hold back a later waiter of another lane', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 10, burst: 1 }, clock);
    await budget.take(undefined, undefined, 'writes');
    const writes = takers(budget, 1, clock.now, undefined, 'writes'); // queued behind the rate
    budget.pause(2_000, 'writes');
    const reads = takers(budget, 1, clock.now, undefined, 'reads');
    await clock.advance(100);
    expect(reads.times).toEqual([100]);
    expect(writes.times).toEqual([]);
    await clock.advance(1_900);
    expect(writes.times).toEqual([2_000]);
    expect(clock.pending()).toBe(0);
  });

  it('a pause without a lane holds every lane; a wait past the deadline in a paused lane is throttled', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 100, burst: 100 }, clock);
    budget.pause(500);
    const a = takers(budget, 1, clock.now, undefined, 'a');
    const b = takers(budget, 1, clock.now, undefined, 'b');
    await clock.advance(499);
    expect([...a.times, ...b.times]).toEqual([]);
    await clock.advance(100);
    expect(a.times.length + b.times.length).toBe(2);
    budget.pause(5_000, 'a');
    const late = await budget.take(undefined, clock.now() + 1_000, 'a').catch((e: unknown) => e);
    expect(isBrokerError(late, 'throttled')).toBe(true);
    await expect(budget.take(undefined, clock.now() + 1_000, 'b')).resolves.toBeUndefined();
    expect(clock.pending()).toBe(0);
  });

  it('caps a pause by maxRetryAfterMs', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 1_000, burst: 1 }, clock, 5_000);
    budget.pause(600_000);
    expect(budget.pausedUntil).toBe(5_000);
  });

  it('refuses at once with timeout a wait that would pass the deadline', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 1, burst: 1 }, clock);
    await budget.take();
    const error = await budget.take(undefined, 500).catch((e: unknown) => e);
    expect(isBrokerError(error, 'timeout')).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('ends a waiter on abort without taking the others down, and leaves no timer once all are gone', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 10, burst: 1 }, clock);
    await budget.take();
    const one = new AbortController();
    const a = takers(budget, 1, clock.now, one.signal);
    const b = takers(budget, 1, clock.now);
    one.abort();
    await clock.advance(100);
    expect(isBrokerError(a.errors[0], 'aborted')).toBe(true);
    expect(b.times).toEqual([100]);
    const two = new AbortController();
    takers(budget, 2, clock.now, two.signal);
    await clock.advance(0);
    expect(clock.pending()).toBe(1);
    two.abort();
    await clock.advance(0);
    expect(clock.pending()).toBe(0);
  });

  it('is off when the scale config says so', () => {
    expect(new PlatformScale(SCALE_OFF).budget).toBeUndefined();
    const on = new PlatformScale({ ...SCALE_OFF, requestBudget: { requestsPerSecond: 5, burst: 5 } });
    expect(on.budget).toBeInstanceOf(RequestBudget);
  });
});
