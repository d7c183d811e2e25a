import { deadlinePassed, noteState } from './call-deadline.js';
import type { ResolvedWaitOptions } from './call-options.js';
import { type Clock, systemClock } from './clock.js';
import { abortedError, BrokerError, isBrokerError } from './errors.js';
import type { BrokerEventInput } from './events.js';

/** What a check says of one observed value. */
export type WaitVerdict = { readonly done: true } | { readonly done: false; readonly failed?: string };

/** Verdict helpers for readable checks. */
export const verdict = {
  done: { done: true } as WaitVerdict,
  pending: { done: false } as WaitVerdict,
  failed: (reason: string): WaitVerdict => ({ done: false, failed: reason }),
};

/** One wait: what to poll, when it is done, how long to try. */
export interface WaitSpec<T> {
  /** What is being waited for, for messages: "volume vol-1 to be in-use". */
  readonly description: string;
  /** Reads the current value. A `not-found` error is passed to `check` as undefined when `absentIsValue`. */
  readonly probe: (signal: AbortSignal | undefined) => Promise<T>;
  /** Says whether the value is final. */
  readonly check: (value: T) => WaitVerdict;
  /** A short state string of a value, for events and errors. */
  readonly stateOf: (value: T) => string;
  readonly options: ResolvedWaitOptions;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  /** The resource waited on, for `state-change` events. */
  readonly resource?: { readonly kind: 'server' | 'volume'; readonly id: string };
  /** Check the first value at once, before sleeping (default true). */
  readonly probeFirst?: boolean;
  /** Pacing beyond the backoff: a learned first poll, a poll grid shared with other waits. */
  readonly pacing?: WaitPacing | undefined;
}

/**
 * How a wait paces its polls beyond the backoff (see TransitionTimes and
 * PollCoalescer). The deadline bounds every sleep, as without it.
 */
export interface WaitPacing {
  /**
   * The transition's expected duration, learned from earlier waits: the first sleep
   * ends then (never before `initialDelayMs`), and the polls after it stay frequent
   * (see `maxDelayMs`), so a change soon after it is noticed soon.
   */
  readonly expectedMs?: number | undefined;
  /** Told how long the transition took (halfway between the last pending poll and the done one). */
  readonly record?: ((ms: number) => void) | undefined;
  /** Polls land on multiples of this (clock time; see onGrid), so concurrent waits share one batch read. */
  readonly tickMs?: number | undefined;
  /** A cap on the backoff below the wait's own `maxDelayMs`. */
  readonly maxDelayMs?: number | undefined;
}

/** The longest sleep between polls once the expected time has passed: a quarter of it, in [250 ms, 1 s]. */
export function pollCapAfter(expectedMs: number): number {
  return Math.min(1_000, Math.max(250, expectedMs / 4));
}

/** True when a provider status names an error state (`ERROR`, `error_deleting`, `Failed`...). */
export function isErrorStatus(status: string): boolean {
  return /error|fail/i.test(status);
}

/**
 * Polls until `check` says done, with exponential backoff and jitter, under a
 * deadline. A failed verdict, a deadline or an abort ends it at once with a
 * BrokerError (`provider-error`, `timeout`, `aborted`) that carries the last
 * seen value in `lastState`.
 */
export async function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  const clock = spec.clock ?? systemClock;
  const { options, signal, pacing } = spec;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const expected = pacing?.expectedMs;
  // Read before each sleep: a coalesced wait's cap holds only while it shares its reads.
  const capOf = (): number => Math.min(options.maxDelayMs, pacing?.maxDelayMs ?? Number.POSITIVE_INFINITY);
  let maxDelay = capOf();
  // A learned first poll: sleep until the expected completion, then poll often.
  let delay = expected === undefined ? options.initialDelayMs : Math.max(options.initialDelayMs, expected);
  let learned = expected === undefined;
  // The last moment the transition was known under way. A wait that skips the first read
  // (the driver has just asked for the change) knows it at the start: a learned first poll
  // that finds the change already done then teaches a shorter time, so an estimate learned
  // in a slow spell comes down again instead of holding every later first poll out.
  let pendingAt: number | undefined = spec.probeFirst === false && !learned ? started : undefined;
  let last: T | undefined;
  let seen = false;
  let lastState: string | undefined;
  // The call's own deadline (see startCallDeadline) may pass first: it ends the wait as the
  // wait's own timeout would, with the last state seen.
  const ended = (): BrokerError =>
    deadlinePassed(signal)
      ? timeout(spec, last, seen, options.timeoutMs)
      : abortedError(signal, `waiting for ${spec.description}`);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw ended();
    if (attempt > 1 || spec.probeFirst === false) {
      const now = clock.now();
      const remaining = deadline - now;
      if (remaining <= 0) {
        // Nothing read yet (the call's first steps took the whole wait): read once, so the
        // timeout says where the change stands; a done value is still the wait's result.
        if (seen) throw timeout(spec, last, seen, options.timeoutMs);
        return readOnceAtTimeout(spec, attempt, ended);
      }
      const first = !learned;
      const wanted = first ? Math.max(delay - (now - started), 0) : delay;
      const jittered = wanted * (1 - options.jitter + 2 * options.jitter * clock.random());
      try {
        // Until a value is seen, sleep at most half the time left: a wait whose learned first
        // poll lies past its deadline still reads once in time, so its timeout carries lastState.
        const room = seen ? remaining : remaining / 2;
        await clock.sleep(Math.min(onGrid(now, jittered, pacing?.tickMs), room), signal);
      } catch (error) {
        if (signal?.aborted) throw ended();
        throw error;
      }
      if (first) {
        learned = true;
        maxDelay = Math.min(options.maxDelayMs, pollCapAfter(expected as number));
        delay = Math.min(options.initialDelayMs, maxDelay, capOf());
      } else {
        delay = Math.min(delay * options.multiplier, maxDelay, capOf());
      }
    }
    const value = await probeOnce(spec, ended);
    last = value;
    seen = true;
    noteState(signal, value);
    const state = spec.stateOf(value);
    emitPoll(spec, attempt, state, lastState);
    lastState = state;
    const result = spec.check(value);
    if (result.done) {
      // Only a transition seen under way teaches anything: a first value already done took no time.
      if (pendingAt !== undefined) pacing?.record?.((pendingAt + clock.now()) / 2 - started);
      return value;
    }
    pendingAt = clock.now();
    if (result.failed !== undefined) throw failure(spec, value, state, result.failed);
    if (clock.now() >= deadline) throw timeout(spec, last, seen, options.timeoutMs);
  }
}

/**
 * About `ms` from `now`, moved so that the sleep ends on the grid: multiples of
 * `tickMs` doubled while they still fit in `ms`. The grids nest, so waits at
 * different stages of their backoff still meet on the coarser points.
 */
function onGrid(now: number, ms: number, tickMs: number | undefined): number {
  if (tickMs === undefined || tickMs <= 0) return ms;
  let tick = tickMs;
  while (tick * 2 <= ms) tick *= 2;
  // The nearest point, not the next: a wait that woke just after a point (its batch window)
  // would otherwise slip one point behind the others on every sleep.
  let target = Math.round((now + ms) / tick) * tick;
  if (target <= now) target += tick;
  return target - now;
}

/** The one read of a wait whose deadline passed before it polled: its value if done, else a timeout carrying it. */
async function readOnceAtTimeout<T>(
  spec: WaitSpec<T>,
  attempt: number,
  ended: () => BrokerError,
): Promise<T> {
  const value = await probeOnce(spec, ended);
  noteState(spec.signal, value);
  const state = spec.stateOf(value);
  spec.emit?.({ type: 'poll', waitingFor: spec.description, attempt, state });
  const result = spec.check(value);
  if (result.done) return value;
  if (result.failed !== undefined) throw failure(spec, value, state, result.failed);
  throw timeout(spec, value, true, spec.options.timeoutMs);
}

/** One probe; an abort (of the call or its deadline) ends the wait as `ended` says. */
async function probeOnce<T>(spec: WaitSpec<T>, ended: () => BrokerError): Promise<T> {
  try {
    return await spec.probe(spec.signal);
  } catch (error) {
    if (isBrokerError(error, 'aborted') || spec.signal?.aborted) throw ended();
    throw error;
  }
}

/** The `poll` event of one read, and a `state-change` when the state differs from the last one. */
function emitPoll<T>(spec: WaitSpec<T>, attempt: number, state: string, lastState: string | undefined): void {
  spec.emit?.({ type: 'poll', waitingFor: spec.description, attempt, state });
  if (spec.resource && state !== lastState) {
    const { kind, id } = spec.resource;
    spec.emit?.({
      type: 'state-change',
      resource: kind,
      id,
      ...(lastState === undefined ? {} : { from: lastState }),
      to: state,
    });
  }
}

/** The error of a wait whose check said the value failed (an ERROR status). */
function failure<T>(spec: WaitSpec<T>, value: T, state: string, reason: string): BrokerError {
  return new BrokerError('provider-error', `${spec.description} failed: ${reason} (state ${state})`, {
    lastState: value,
    providerCode: state,
  });
}

function timeout<T>(spec: WaitSpec<T>, last: T | undefined, seen: boolean, ms: number): BrokerError {
  const state = seen ? spec.stateOf(last as T) : 'never read';
  return new BrokerError(
    'timeout',
    `timed out after ${ms} ms waiting for ${spec.description} (last state ${state})`,
    { lastState: last },
  );
}
