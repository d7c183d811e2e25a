import { describe, expect, it } from 'vitest';
import { RequestDeadlines, TIMED_OUT } from '../src/http/request-deadlines.js';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('RequestDeadlines (one timer for every request of a client)', () => {
  it('passes on results and failures that come in time, and times out each late one at its own deadline', async () => {
    const deadlines = new RequestDeadlines(40);
    const started = performance.now();
    const settledAt = (p: Promise<unknown>) =>
      p.then(
        (value) => ({ value, ms: performance.now() - started }),
        (error: unknown) => ({ error, ms: performance.now() - started }),
      );
    const quick = settledAt(deadlines.race(after(5, 'ok')));
    const failing = settledAt(deadlines.race(Promise.reject(new Error('refused'))));
    const first = settledAt(deadlines.race(never()));
    await after(25, undefined);
    const second = settledAt(deadlines.race(never()));
    expect(await quick).toMatchObject({ value: 'ok' });
    expect(((await failing) as { error: Error }).error.message).toBe('refused');
    const a = (await first) as { error: unknown; ms: number };
    const b = (await second) as { error: unknown; ms: number };
    expect([a.error, b.error]).toEqual([TIMED_OUT, TIMED_OUT]);
    // The second started ~25 ms later, so it must not end with the first: the timer re-arms for it.
    expect(a.ms).toBeGreaterThanOrEqual(39);
    expect(b.ms).toBeGreaterThanOrEqual(a.ms + 20);
    expect(b.ms).toBeLessThan(1_000);
  });
});
