import { type Clock, systemClock } from './clock.js';
import { PollCoalescer, type PollCoalescerOptions, type PollWatch } from './poll-coalescer.js';
import { RequestBudget } from './request-budget.js';
import { type ResolvedScaleOptions, SCALE_OFF } from './scale-options.js';
import { SingleFlight } from './single-flight.js';
import { TransitionTimes } from './transition-times.js';
import type { WaitPacing } from './waiter.js';

/**
 * The longest sleep between polls of a coalesced wait: its polls cost one shared
 * read per tick for every waiter, so it may poll often and notice a change soon.
 */
export const COALESCED_MAX_DELAY_MS = 500;

/** What a PlatformScale needs beside the options. */
export interface PlatformScaleRuntime {
  readonly clock?: Clock | undefined;
  /** The retry policy's maxRetryAfterMs: the longest pause a Retry-After imposes on every caller. */
  readonly maxRetryAfterMs?: number | undefined;
}

/**
 * One platform's scale machinery, built once from `DriverContext.scale`: the
 * request budget, the learned transition times, and factories for single
 * flight and poll coalescers that return undefined when their option is off,
 * so a driver keeps its plain path for "off".
 *
 * @example
 * const scale = new PlatformScale(context.scale, { clock, maxRetryAfterMs: context.retry.maxRetryAfterMs });
 * const reads = scale.singleFlight<Volume>();
 */
export class PlatformScale {
  readonly options: ResolvedScaleOptions;
  /** Undefined when `requestBudget` is off. */
  readonly budget: RequestBudget | undefined;
  /** Undefined when `adaptivePolling` is off. */
  readonly transitions: TransitionTimes | undefined;
  readonly #clock: Clock;

  constructor(options: ResolvedScaleOptions = SCALE_OFF, runtime: PlatformScaleRuntime = {}) {
    this.options = options;
    this.#clock = runtime.clock ?? systemClock;
    this.budget = options.requestBudget
      ? new RequestBudget(options.requestBudget, this.#clock, runtime.maxRetryAfterMs)
      : undefined;
    this.transitions = options.adaptivePolling ? new TransitionTimes() : undefined;
  }

  /** A single flight for identical reads, or undefined when `singleFlightReads` is off. */
  singleFlight<V>(): SingleFlight<V> | undefined {
    return this.options.singleFlightReads ? new SingleFlight<V>() : undefined;
  }

  /** A poll coalescer over `options`, or undefined when `coalescePolling` is off. */
  coalescer<V>(options: Omit<PollCoalescerOptions<V>, 'clock'>): PollCoalescer<V> | undefined {
    return this.options.coalescePolling
      ? new PollCoalescer<V>({ ...options, clock: this.#clock })
      : undefined;
  }

  /**
   * The pacing of one wait of `operation` ("attach", "detach", "build"...): its
   * learned first poll and, when it shares polls through `watch`, the poll grid.
   * Undefined when neither applies: the wait then paces as it always did.
   */
  pacing(operation: string, watch?: PollWatch<unknown>): WaitPacing | undefined {
    const transitions = this.transitions;
    if (!transitions && !watch) return undefined;
    return {
      expectedMs: transitions?.expectedMs(operation),
      record: transitions ? (ms) => transitions.record(operation, ms) : undefined,
      tickMs: watch?.tickMs,
      maxDelayMs: watch ? COALESCED_MAX_DELAY_MS : undefined,
    };
  }
}
