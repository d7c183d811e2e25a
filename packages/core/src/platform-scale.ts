import { type Clock, systemClock } from './clock.js';
import { PollCoalescer, type PollCoalescerOptions, type PollWatch } from './poll-coalescer.js';
import { RequestBudget } from './request-budget.js';
import { type ResolvedScaleOptions, SCALE_OFF } from './scale-options.js';
import { SingleFlight } from './single-flight.js';
import { TransitionTimes } from './transition-times.js';
import type { WaitPacing } from './waiter.js';

/**
 * The longest sleep between polls of a coalesced wait: one tick of the poll grid.
 * Its polls cost one shared read per tick for every waiter, and with many waiters
 * some poll on every tick anyway, so each may as well, and notice a change soon.
 */
export const COALESCED_MAX_DELAY_MS = 250;

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
      // A wait that shares its reads from the start polls on the grid at once: its polls cost
      // no request of their own, and a learned first poll would notice a change that came
      // sooner than the median only at the median. Its durations are still learned.
      expectedMs: watch?.sharing ? undefined : transitions?.expectedMs(operation),
      record: transitions ? (ms) => transitions.record(operation, ms) : undefined,
      // Read before each sleep: a wait alone polls on its own schedule, and joins the grid
      // once another wait of its kind is under way.
      get tickMs() {
        return watch?.sharing ? watch.tickMs : undefined;
      },
      get maxDelayMs() {
        return watch?.sharing ? COALESCED_MAX_DELAY_MS : undefined;
      },
    };
  }
}
