import { timeLeft } from './call-deadline.js';
import { type Clock, systemClock } from './clock.js';
import { abortedError, type BrokerError, findBrokerError } from './errors.js';
import type { BrokerEventInput } from './events.js';

/** How failed calls are repeated. Every field has a default. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 3; 1 turns retries off. */
  readonly maxAttempts?: number;
  /** First backoff delay. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Longest backoff delay. Default 5 000 ms. */
  readonly maxDelayMs?: number;
  /** Longest Retry-After the policy will honour; a longer one ends the call. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number;
}

const DEFAULT_POLICY: Required<RetryPolicy> = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

/** One call to repeat. */
export interface RetryContext {
  /** Operation name, for events. */
  readonly operation: string;
  /**
   * False for a create without an idempotency key: it is never repeated,
   * since a lost response may hide a server that was made.
   */
  readonly idempotent: boolean;
  readonly policy?: RetryPolicy | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock;
  readonly emit?: (event: BrokerEventInput) => void;
}

/**
 * True when withRetry (and a driver's own retry loop) repeats a failure by
 * itself: a retryable error that is not a timeout. A timeout is retryable
 * (the caller's repeat is safe and converges) but a deadline that ran out
 * ends the call: repeating it is the caller's decision.
 */
export function retriesAutomatically(error: BrokerError): boolean {
  return error.retryable && error.code !== 'timeout';
}

/**
 * Runs `call`, repeating it only for retryable BrokerErrors (throttled,
 * unavailable, or flagged retryable), after the provider's Retry-After when
 * it gave one, else after full-jitter exponential backoff.
 */
export async function withRetry<T>(context: RetryContext, call: (attempt: number) => Promise<T>): Promise<T> {
  if (context.signal?.aborted) throw abortedError(context.signal, context.operation);
  try {
    return await call(1);
  } catch (error) {
    return retryAfterFailure(context, call, error);
  }
}

/**
 * What `withRetry` does once the first attempt has failed with `error`: for a
 * caller that makes its first attempt itself, so the common case (success at
 * once) costs no retry machinery. Rethrows `error` when it is not worth a repeat.
 */
export async function retryAfterFailure<T>(
  context: RetryContext,
  call: (attempt: number) => Promise<T>,
  error: unknown,
): Promise<T> {
  const policy = { ...DEFAULT_POLICY, ...context.policy };
  const clock = context.clock ?? systemClock;
  let failure = error;
  for (let attempt = 1; ; attempt++) {
    const broker = findBrokerError(failure);
    const last = attempt >= policy.maxAttempts || !context.idempotent;
    if (broker === undefined || !retriesAutomatically(broker) || last) throw failure;
    const delay = delayFor(broker.retryAfterMs, attempt, policy, clock);
    // A sleep the call's deadline would cut short ends the call now, with the failure that caused it.
    if (delay === undefined || delay >= timeLeft(context.signal)) throw failure;
    context.emit?.({
      type: 'retry',
      operation: context.operation,
      attempt,
      delayMs: delay,
      code: broker.code,
    });
    await clock.sleep(delay, context.signal);
    if (context.signal?.aborted) throw abortedError(context.signal, context.operation);
    try {
      return await call(attempt + 1);
    } catch (next) {
      failure = next;
    }
  }
}

function delayFor(
  retryAfterMs: number | undefined,
  attempt: number,
  policy: Required<RetryPolicy>,
  clock: Clock,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap * clock.random());
}

// RFC 9110 delay-seconds (fractions too: some services send them); no sign, no exponent.
const DELAY_SECONDS = /^\d{1,12}(\.\d+)?$/;
// Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the day's name.
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/**
 * Parses an HTTP Retry-After header (delay-seconds or an HTTP-date) into
 * milliseconds. Returns undefined when absent, negative or unreadable (Date.parse
 * alone reads `-5` or `12abc` as dates). A date in the past is 0. Callers cap the
 * result by `maxRetryAfterMs` and the call's deadline (see retryAfterFailure).
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (DELAY_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
