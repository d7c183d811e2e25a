import { timeLeft } from './call-deadline.js';
import { type Clock, systemClock } from './clock.js';
import { abortedError, BrokerError } from './errors.js';
import type { ResolvedRequestBudget } from './scale-options.js';

/** The longest pause a Retry-After may impose when the retry policy names none (its maxRetryAfterMs). */
const DEFAULT_MAX_PAUSE_MS = 60_000;

interface LaneBucket {
  pausedUntil: number;
  tokens: number;
  refilledAt: number;
  /** Requests a second, halved by each pause, growing back to the budget's. */
  rate: number;
}

/** The share of the budget's rate a throttled lane wins back each second. */
const LANE_RECOVERY_PER_SECOND = 1 / 20;

interface Waiter {
  readonly lane: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A client-side token bucket shared by every call of one platform: requests
 * leave at most at the cloud's rate, and a throttled answer (429,
 * RequestLimitExceeded) pauses all of them, not only the caller that got it.
 * Waiting callers are served in arrival order by one timer.
 *
 * A request may name a *lane*: the cloud limiter it meets (e.g. Nova's writes
 * at one endpoint). A pause given a lane holds every caller of that lane, and
 * the other lanes go on sharing the tokens. The clouds keep separate buckets
 * for reads and writes (EC2 per action, ARM per reads, writes and deletes, a
 * deployment's limiter per service and verb), so a write's 429 says nothing
 * of the reads; holding them too would only delay every wait's next poll.
 * After its pause a lane resumes from an empty bucket of its own at half the
 * rate it had (the budget's at first), not in a burst into the limiter that
 * just refused it, and wins its rate back by a twentieth of the budget's rate
 * each second (additive increase, multiplicative decrease, as TCP and the AWS
 * SDKs' adaptive retry mode pace themselves to a limit they cannot see). A
 * pause without a lane holds every lane.
 */
export class RequestBudget {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  readonly #maxPauseMs: number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  // The lanes a pause named: each with its pause and its own bucket, emptied by the pause.
  readonly #lanes = new Map<string, LaneBucket>();
  readonly #queue: Waiter[] = [];
  // Aborts the pump's sleep when the last waiter leaves (so no timer outlives them), or to plan again.
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
   * Waits for a token for a request of `lane` (default: the one lane of a
   * platform that names none). Rejects at once when the wait would pass
   * `deadline` (clock time) or the call's deadline carried by `signal`:
   * `throttled` during a pause, else `timeout`; and with `aborted` when
   * `signal` aborts first.
   */
  take(signal?: AbortSignal, deadline?: number, lane = ''): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, 'waiting for the request budget'));
    const now = this.#clock.now();
    this.#refill(now);
    const ahead = this.#queue.filter((w) => this.#runnable(w.lane, now)).length;
    if (ahead === 0 && this.#runnable(lane, now) && this.#tokens >= 1) {
      this.#grant(lane);
      return Promise.resolve();
    }
    const expected = this.#expectedWait(now, ahead + 1, lane);
    const left = Math.min(deadline === undefined ? Infinity : deadline - now, timeLeft(signal));
    if (expected > left) return Promise.reject(this.#tooLate(now, expected, lane));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
        if (this.#queue.length === 0) this.#pump?.abort();
        reject(abortedError(signal, 'waiting for the request budget'));
      };
      const waiter: Waiter = {
        lane,
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
   * Pauses the callers of `lane` for `ms` (a Retry-After), or every caller
   * without a lane, capped by the retry policy's `maxRetryAfterMs`. After a
   * pause of every lane the bucket refills from empty, so the calls resume at
   * the rate; a lane's pause leaves the tokens to the other lanes.
   */
  pause(ms: number, lane?: string): void {
    const now = this.#clock.now();
    const until = now + Math.min(Math.max(0, ms), this.#maxPauseMs);
    if (lane !== undefined) {
      const own = this.#lanes.get(lane);
      if (own !== undefined && until <= own.pausedUntil) return;
      // The answers of requests sent before the pause began extend it, but halve the rate once only.
      const paused = own !== undefined && now < own.pausedUntil;
      const rate = own === undefined ? this.#rate / 2 : paused ? own.rate : Math.max(own.rate / 2, 0.1);
      this.#lanes.set(lane, { pausedUntil: until, tokens: 0, refilledAt: until, rate });
      this.#pump?.abort(); // its sleep was planned before this pause
      return;
    }
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#tokens = 0;
    this.#refilledAt = until;
  }

  /** Until when (clock time) every call is paused; in the past when it is not. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Until when (clock time) the calls of `lane` are paused, by a pause of every lane or of that one. */
  #pausedUntilOf(lane: string): number {
    return Math.max(this.#pausedUntil, this.#lanes.get(lane)?.pausedUntil ?? 0);
  }

  /** Whether a request of `lane` may go now, queue order aside: no pause holds it and its lane has a token. */
  #runnable(lane: string, now: number): boolean {
    return now >= this.#pausedUntilOf(lane) && this.#laneTokens(lane, now) >= 1;
  }

  /** The tokens of a paused lane's own bucket (refilled to `now`); a lane never paused has no limit of its own. */
  #laneTokens(lane: string, now: number): number {
    const own = this.#lanes.get(lane);
    if (own === undefined) return Infinity;
    if (now > own.refilledAt) {
      const seconds = (now - own.refilledAt) / 1000;
      own.tokens = Math.min(this.#burst, own.tokens + seconds * own.rate);
      own.rate = Math.min(this.#rate, own.rate + seconds * this.#rate * LANE_RECOVERY_PER_SECOND);
      own.refilledAt = now;
    }
    return own.tokens;
  }

  #grant(lane: string): void {
    this.#tokens -= 1;
    const own = this.#lanes.get(lane);
    if (own !== undefined) own.tokens -= 1;
  }

  // A wait past the deadline ends the call now: `throttled` while the cloud's Retry-After
  // holds the caller's lane (as the cloud would answer), `timeout` when only the rate is the cause.
  #tooLate(now: number, expected: number, lane: string): BrokerError {
    const paused = this.#pausedUntilOf(lane) - now;
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
    );
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
    this.#refilledAt = now;
  }

  // Milliseconds until the `nth` waiter in line (of those free to go) gets its token, in `lane`.
  #expectedWait(now: number, nth: number, lane: string): number {
    const bucket = this.#lanes.get(lane);
    const start = Math.max(now, this.#pausedUntilOf(lane), this.#refilledAt, bucket?.refilledAt ?? now);
    const shared = (Math.max(0, nth - this.#tokens) * 1000) / this.#rate;
    const own =
      bucket === undefined ? 0 : (Math.max(0, nth - this.#laneTokens(lane, now)) * 1000) / bucket.rate;
    return start - now + Math.max(shared, own);
  }

  #startPump(): void {
    if (this.#pump) return;
    const controller = new AbortController();
    this.#pump = controller;
    void this.#serve(controller.signal).finally(() => {
      if (this.#pump === controller) this.#pump = undefined;
      // A waiter may have come while the pump was ending, or a pause asked it to plan again.
      if (this.#queue.length > 0) this.#startPump();
    });
  }

  // Hands out tokens in arrival order to the waiters whose lane is not paused, sleeping until
  // the next token is due or the first paused lane with a waiter resumes.
  async #serve(signal: AbortSignal): Promise<void> {
    while (this.#queue.length > 0 && !signal.aborted) {
      const now = this.#clock.now();
      this.#refill(now);
      const next = this.#queue.find((w) => this.#runnable(w.lane, now));
      if (next !== undefined && this.#tokens >= 1) {
        this.#queue.splice(this.#queue.indexOf(next), 1);
        this.#grant(next.lane);
        next.resolve();
        continue;
      }
      const lanes = new Set(this.#queue.map((w) => w.lane));
      const due = Math.min(...[...lanes].map((lane) => this.#expectedWait(now, 1, lane)));
      try {
        await this.#clock.sleep(Math.max(1, due), signal);
      } catch {
        return;
      }
    }
  }
}
