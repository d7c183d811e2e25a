import { describe, expect, it } from 'vitest';
import { startCallDeadline, waitFor, withRetry } from '../src/driver-kit.js';
import { BROKER_ERROR_CODES, BrokerError, type BrokerErrorCode, type Clock } from '../src/index.js';

/*
 * `retryable` means "a repeat of this call is safe and may succeed" (issue
 * 26, defect 3). Which of those withRetry repeats by itself is another
 * question, and its answer must not change: a timeout is retryable, yet a
 * deadline that passed ends the call.
 */

const RETRYABLE: ReadonlySet<BrokerErrorCode> = new Set(['throttled', 'unavailable', 'timeout']);

const clock: Clock = { now: () => 0, random: () => 0.5, sleep: async () => {} };

describe('retryable', () => {
  it.each(BROKER_ERROR_CODES.map((code) => [code]))('%s has its documented default', (code) => {
    expect(new BrokerError(code, 'x').retryable).toBe(RETRYABLE.has(code));
  });

  it('a wait that ran out is a retryable timeout: its change may still happen, and a repeat converges', async () => {
    const error = await waitFor({
      description: 'thing to be ready',
      probe: async () => 'busy',
      check: () => ({ done: false }),
      stateOf: (v) => v,
      options: { timeoutMs: 20, initialDelayMs: 1, maxDelayMs: 5, multiplier: 1.5, jitter: 0 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it("a call's own deadline is a retryable timeout", async () => {
    const deadline = startCallDeadline(undefined, 1, 'attachVolume');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deadline.signal.reason).toMatchObject({ code: 'timeout', retryable: true });
    deadline.done();
  });

  it('withRetry still does not repeat a timeout by itself', async () => {
    let calls = 0;
    const call = async () => {
      calls++;
      throw new BrokerError('timeout', 'timed out');
    };
    await expect(withRetry({ operation: 'get', idempotent: true, clock }, call)).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(calls).toBe(1);
  });
});
