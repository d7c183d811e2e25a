import { startCallDeadline } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import { DeadlineRetryStrategy, withRetrySignal } from '../src/deadline-retry-strategy.js';

const THROTTLED = { errorType: 'THROTTLING' } as const;

describe('DeadlineRetryStrategy (the EC2 client retry strategy)', () => {
  it('keeps the SDK classification: client errors are not retried, the others up to maxAttempts', async () => {
    const strategy = new DeadlineRetryStrategy({ maxAttempts: 3, baseDelayMs: 0, mode: 'standard' });
    const first = await strategy.acquireInitialRetryToken('');
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: 'CLIENT_ERROR' })).rejects.toThrow();
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'SERVER_ERROR' });
    const third = await strategy.refreshRetryTokenForRetry(second, { errorType: 'TRANSIENT' });
    expect(third.getRetryCount()).toBe(2);
    // The middleware sleeps getRetryDelay(): always 0, the strategy slept already.
    expect(third.getRetryDelay()).toBe(0);
    await expect(strategy.refreshRetryTokenForRetry(third, THROTTLED)).rejects.toThrow(/no attempts left/);
  });

  it('refuses a backoff the call deadline would cut short, at once', async () => {
    const strategy = new DeadlineRetryStrategy({ maxAttempts: 5, baseDelayMs: 60_000, mode: 'standard' });
    const deadline = startCallDeadline(undefined, 50, 'getServer');
    try {
      const started = performance.now();
      // A Retry-After hint of 10 s: far past the 50 ms deadline.
      const hinted = { errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 10_000) } as const;
      const refused = withRetrySignal(deadline.signal, async () =>
        strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), hinted),
      );
      await expect(refused).rejects.toThrow(/deadline/);
      expect(performance.now() - started).toBeLessThan(40);
    } finally {
      deadline.done();
    }
  });

  it('a backoff in progress ends when the call aborts or the strategy is closed', async () => {
    const strategy = new DeadlineRetryStrategy({ maxAttempts: 5, baseDelayMs: 60_000, mode: 'standard' });
    const hinted = { errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 3_000) } as const;
    const caller = new AbortController();
    const aborted = withRetrySignal(caller.signal, async () =>
      strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), hinted),
    );
    setTimeout(() => caller.abort(new Error('caller left')), 20);
    await expect(aborted).rejects.toThrow('caller left');
    const closed = withRetrySignal(undefined, async () =>
      strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), hinted),
    );
    setTimeout(() => strategy.close(), 20);
    await expect(closed).rejects.toThrow(/closed/);
  });
});
