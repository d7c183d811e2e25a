import { AsyncLocalStorage } from 'node:async_hooks';
import { timeLeft } from '@hybrid-broker/core/driver-kit';
import {
  DEFAULT_RETRY_DELAY_BASE,
  DefaultRateLimiter,
  INITIAL_RETRY_TOKENS,
  MAXIMUM_RETRY_DELAY,
  NO_RETRY_INCREMENT,
  RETRY_COST,
  THROTTLING_RETRY_DELAY_BASE,
  TIMEOUT_RETRY_COST,
} from '@smithy/util-retry';

/** The part of the SDK's `RetryErrorInfo` read here (the SDK's own classification of the failure). */
export interface RetryErrorInfoLike {
  readonly errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  readonly retryAfterHint?: Date;
}

/** The SDK's `RetryToken`: the retry count, the delay the middleware sleeps (always 0 here) and our cost. */
export interface DeadlineRetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
  readonly cost: number;
}

/** How the strategy is built from the platform config. */
export interface DeadlineRetryOptions {
  readonly maxAttempts: number;
  /** One base for every retry (ms); default the SDK's: 100, and 500 for throttling. */
  readonly baseDelayMs?: number | undefined;
  /** `adaptive` adds the SDK's client-side rate limiter, as its AdaptiveRetryStrategy does. */
  readonly mode: 'standard' | 'adaptive';
}

// The signal of the broker call an SDK request runs for; ec2Call sets it around `send`.
const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `send` so that retries of the SDK requests it makes sleep under `signal` and its deadline. */
export function withRetrySignal<T>(signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, send);
}

/**
 * The EC2 client's retry strategy (the SDK's `RetryStrategyV2`). It keeps the
 * SDK's standard behaviour, its classification of what is retryable (throttling,
 * transient and server errors), its retry quota (500 tokens, 5 a retry, 10 after
 * a timeout) and its full-jitter backoff capped at 20 s, but sleeps the backoff
 * itself, under the broker call's signal:
 * - a backoff that would outlast the call's deadline is not slept; the call ends
 *   at once with the failure;
 * - an abort (the caller's, the deadline's, or `close()`) clears the timer, so no
 *   sleep outlives the call or the driver. The SDK's own strategy sleeps with no
 *   signal, and its timer kept a closed broker's process alive.
 * The token it returns has a delay of 0, so the middleware adds no sleep of its own.
 */
export class DeadlineRetryStrategy {
  readonly mode: 'standard' | 'adaptive';
  readonly #options: DeadlineRetryOptions;
  readonly #closed = new AbortController();
  readonly #limiter: DefaultRateLimiter | undefined;
  #capacity = INITIAL_RETRY_TOKENS;

  constructor(options: DeadlineRetryOptions) {
    this.#options = options;
    this.mode = options.mode;
    this.#limiter = options.mode === 'adaptive' ? new DefaultRateLimiter() : undefined;
  }

  async acquireInitialRetryToken(_scope: string): Promise<DeadlineRetryToken> {
    await this.#limiter?.getSendToken();
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(
    previous: DeadlineRetryToken,
    info: RetryErrorInfoLike,
  ): Promise<DeadlineRetryToken> {
    this.#limiter?.updateClientSendingRate(info);
    const count = previous.getRetryCount();
    const cost = info.errorType === 'TRANSIENT' ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (info.errorType === 'CLIENT_ERROR') throw new Error('not retryable');
    if (count + 1 >= this.#options.maxAttempts) throw new Error('no attempts left');
    if (this.#capacity < cost) throw new Error('retry quota spent');
    const signal = callSignal.getStore();
    const delay = this.#delay(count, info);
    // The failure now beats a sleep the deadline would cut short (the call ends with it at once).
    if (delay >= timeLeft(signal)) throw new Error('no time left before the deadline');
    this.#capacity -= cost;
    await sleep(delay, signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal);
    return token(count + 1, cost);
  }

  recordSuccess(used: DeadlineRetryToken): void {
    this.#limiter?.updateClientSendingRate({});
    this.#capacity = Math.min(INITIAL_RETRY_TOKENS, this.#capacity + (used.cost || NO_RETRY_INCREMENT));
  }

  /** Ends every backoff sleep now and clears its timer (the driver's `close()`). */
  close(): void {
    this.#closed.abort(new Error('the EC2 client was closed'));
  }

  #delay(count: number, info: RetryErrorInfoLike): number {
    const base =
      this.#options.baseDelayMs ??
      (info.errorType === 'THROTTLING' ? THROTTLING_RETRY_DELAY_BASE : DEFAULT_RETRY_DELAY_BASE);
    const backoff = Math.floor(Math.random() * Math.min(MAXIMUM_RETRY_DELAY, base * 2 ** count));
    const hint = info.retryAfterHint?.getTime();
    // As the SDK: a Retry-After hint is honoured up to 5 s past the computed backoff.
    return hint === undefined ? backoff : Math.max(backoff, Math.min(hint - Date.now(), backoff + 5_000));
  }
}

function token(count: number, cost: number): DeadlineRetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => 0, cost };
}

/** Sleeps `ms`, ending early (timer cleared) when `signal` aborts. A zero sleep sets no timer. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
