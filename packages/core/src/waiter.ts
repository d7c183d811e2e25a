import { deadlinePassed } from './call-deadline.js';
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
  const { options, signal } = spec;
  const deadline = clock.now() + options.timeoutMs;
  let delay = options.initialDelayMs;
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
      const remaining = deadline - clock.now();
      if (remaining <= 0) throw timeout(spec, last, seen, options.timeoutMs);
      const jittered = delay * (1 - options.jitter + 2 * options.jitter * clock.random());
      try {
        await clock.sleep(Math.min(jittered, remaining), signal);
      } catch (error) {
        if (signal?.aborted) throw ended();
        throw error;
      }
      delay = Math.min(delay * options.multiplier, options.maxDelayMs);
    }
    let value: T;
    try {
      value = await spec.probe(signal);
    } catch (error) {
      if (isBrokerError(error, 'aborted') || signal?.aborted) throw ended();
      throw error;
    }
    last = value;
    seen = true;
    const state = spec.stateOf(value);
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
    lastState = state;
    const result = spec.check(value);
    if (result.done) return value;
    if (result.failed !== undefined) {
      throw new BrokerError(
        'provider-error',
        `${spec.description} failed: ${result.failed} (state ${lastState})`,
        {
          lastState: value,
          providerCode: state,
        },
      );
    }
    if (clock.now() >= deadline) throw timeout(spec, last, seen, options.timeoutMs);
  }
}

function timeout<T>(spec: WaitSpec<T>, last: T | undefined, seen: boolean, ms: number): BrokerError {
  const state = seen ? spec.stateOf(last as T) : 'never read';
  return new BrokerError(
    'timeout',
    `timed out after ${ms} ms waiting for ${spec.description} (last state ${state})`,
    {
      lastState: last,
      retryable: false,
    },
  );
}
