import { timeLeft } from './call-deadline.js';
import { type Clock, systemClock } from './clock.js';
import { abortedError, BrokerError } from './errors.js';
import type { ResolvedRequestBudget } from './scale-options.js';

/** The longest pause a Retry-After may impose when the retry policy names none (its maxRetryAfterMs). */
const DEFAULT_MAX_PAUSE_MS = 60_000;

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A client-side token bucket shared by every call of one platform: requests
 * leave at most at the cloud's rate, and a throttled answer (429,
 * RequestLimitExceeded) pauses all of them, not only the caller that got it.
 * Waiting callers are served in arrival order by one timer.
 */
export class RequestBudget {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  readonly #maxPauseMs: number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  readonly #queue: Waiter[] = [];
  // Aborts the pump's sleep when the last waiter leaves, so no timer outlives them.
  #pump: AbortController | undefined;

  constructor(options: ResolvedRequestBudget, clock: Clock = systemClock, maxPauseMs = DEFAULT_MAX_PAUSE_MS) {
    this.#rate = options.requestsPerSecond;
    this.#burst = options.burst;
    this.#clock = clock;
    this.#maxPauseMs = maxPauseMs;
    this.#tokens = options.burst;
    this.#refilledAt = clock.now();
  }

  /**
   * Waits for a token. Rejects at once when the wait would pass `deadline`
   * (clock time) or the call's deadline carried by `signal`: `throttled` during
   * a pause, else `timeout`; and with `aborted` when `signal` aborts first.
   */
  take(signal?: AbortSignal, deadline?: number): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, 'waiting for the request budget'));
    const now = this.#clock.now();
    this.#refill(now);
    if (this.#queue.length === 0 && now >= this.#pausedUntil && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    const expected = this.#expectedWait(now, this.#queue.length + 1);
    const left = Math.min(deadline === undefined ? Infinity : deadline - now, timeLeft(signal));
    if (expected > left) return Promise.reject(this.#tooLate(now, expected));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
        if (this.#queue.length === 0) this.#pump?.abort();
        reject(abortedError(signal, 'waiting for the request budget'));
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#startPump();
    });
  }

  /**
   * Pauses every caller for `ms` (a Retry-After), capped by the retry policy's
   * `maxRetryAfterMs`; the bucket then refills from empty, so the calls resume at the rate.
   */
  pause(ms: number): void {
    const now = this.#clock.now();
    const until = now + Math.min(Math.max(0, ms), this.#maxPauseMs);
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#tokens = 0;
    this.#refilledAt = until;
  }

  /** Until when (clock time) calls are paused; in the past when they are not. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  // A wait past the deadline ends the call now: `throttled` while the cloud's Retry-After
  // holds every caller (as the cloud would answer), `timeout` when only the rate is the cause.
  #tooLate(now: number, expected: number): BrokerError {
    const paused = this.#pausedUntil - now;
    if (paused > 0) {
      return new BrokerError(
        'throttled',
        `the platform is paused for ${Math.ceil(paused)} ms more by the cloud's Retry-After, past the call's deadline`,
        { retryAfterMs: Math.ceil(paused) },
      );
    }
    return new BrokerError(
      'timeout',
      `the request budget has no token for about ${Math.ceil(expected)} ms, past the call's deadline`,
      { retryable: false },
    );
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
    this.#refilledAt = now;
  }

  // Milliseconds until the `nth` waiter in line gets its token.
  #expectedWait(now: number, nth: number): number {
    const start = Math.max(now, this.#pausedUntil, this.#refilledAt);
    const missing = Math.max(0, nth - this.#tokens);
    return start - now + (missing * 1000) / this.#rate;
  }

  #startPump(): void {
    if (this.#pump) return;
    const controller = new AbortController();
    this.#pump = controller;
    void this.#serve(controller.signal).finally(() => {
      if (this.#pump === controller) this.#pump = undefined;
      // A waiter may have come while the pump was ending.
      if (this.#queue.length > 0) this.#startPump();
    });
  }

  // Hands out tokens in arrival order, sleeping until the next one is due.
  async #serve(signal: AbortSignal): Promise<void> {
    while (this.#queue.length > 0 && !signal.aborted) {
      const now = this.#clock.now();
      this.#refill(now);
      if (now >= this.#pausedUntil && this.#tokens >= 1) {
        this.#tokens -= 1;
        this.#queue.shift()?.resolve();
        continue;
      }
      try {
        await this.#clock.sleep(Math.max(1, this.#expectedWait(now, 1)), signal);
      } catch {
        return;
      }
    }
  }
}
