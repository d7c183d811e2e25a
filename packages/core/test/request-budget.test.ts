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
    await clock.advance(100);
    // The lane resumes from an empty bucket of its own at half the budget's rate (50/s: 20 ms a
    // request), not in a burst into the limiter that refused it.
    expect(writes.times).toHaveLength(2);
    expect(writes.times[0]).toBe(1_020);
    expect(writes.times[1]).toBeCloseTo(1_040, 0);
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
    expect(writes.times).toEqual([]);
    await clock.advance(200); // the lane's own bucket: 5/s after the pause, 200 ms for its first token
    expect(writes.times).toEqual([2_200]);
    expect(clock.pending()).toBe(0);
  });

  it('each new pause of a lane halves its rate, the answers of one burst halve it once, and the rate grows back', async () => {
    const clock = manualClock(0);
    const budget = new RequestBudget({ requestsPerSecond: 100, burst: 100 }, clock);
    const gaps = async (): Promise<number> => {
      const { times } = takers(budget, 3, clock.now, undefined, 'w');
      await clock.advance(2_000);
      return (times[2] ?? Number.NaN) - (times[1] ?? Number.NaN);
    };
    budget.pause(1_000, 'w');
    budget.pause(1_000, 'w'); // another 429 of the same burst: the same pause
    await clock.advance(1_000);
    expect(await gaps()).toBeCloseTo(20, 0); // 50/s
    budget.pause(1_000, 'w'); // throttled again after it resumed
    await clock.advance(1_000);
    expect(await gaps()).toBeGreaterThan(35); // about 25/s, a little won back meanwhile
    await clock.advance(20_000); // 20 s without a pause win the budget's whole rate back
    const { times } = takers(budget, 100, clock.now, undefined, 'w');
    await clock.advance(0);
    expect(times).toHaveLength(100);
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
