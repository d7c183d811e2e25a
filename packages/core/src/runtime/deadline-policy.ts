import { type CallDeadline, deadlinePassed, startCallDeadline } from '../call-deadline.js';
import type { CallOptions, ReadOptions } from '../driver.js';
import { BrokerError, findBrokerError } from '../errors.js';

/** One call under its deadline: the options its driver gets, and how its failure and end are told. */
export interface CallBounds<O> {
  /** The caller's options, with a signal that also aborts at the deadline. */
  readonly options: O | undefined;
  /** Rethrows the driver's failure, as `timeout` when the deadline (not the caller) ended it. */
  fail(error: unknown): never;
  /** Ends the deadline's timer once the call has ended. */
  done(): void;
}

const rethrow = (error: unknown): never => {
  throw error;
};

const unbounded = <O>(options: O | undefined): CallBounds<O> => ({
  options,
  fail: rethrow,
  done: () => {},
});

/**
 * The outermost policy: every call runs under its deadline. The driver gets a signal that also
 * aborts with a `timeout` error when the deadline passes, so each request, retry sleep and poll
 * ends by it. The calls in flight are kept, so that closing the platform ends them.
 */
export class DeadlinePolicy {
  readonly #running = new Set<CallDeadline>();
  readonly #defaultMs: number | undefined;

  /** `defaultMs` is the platform's `wait.timeoutMs`, the deadline of a call that names none. */
  constructor(defaultMs: number | undefined) {
    this.#defaultMs = defaultMs;
  }

  /** A read's deadline: its own `timeoutMs` (checked here, naming the field), else the platform's. */
  readTimeout(options: ReadOptions | undefined): number | undefined {
    const own = options?.timeoutMs;
    if (own === undefined) return this.#defaultMs;
    if (typeof own !== 'number' || !Number.isFinite(own) || own < 0) {
      throw new BrokerError('invalid-request', 'timeoutMs must be a non-negative number', {
        field: 'timeoutMs',
      });
    }
    return own;
  }

  /** A mutating call's deadline: its `wait.timeoutMs` (else the platform's) and a grace after it. */
  callTimeout(options: CallOptions | undefined): number | undefined {
    const wait = options?.wait;
    const own = typeof wait === 'object' && wait !== null ? wait.timeoutMs : undefined;
    // A bad wait.timeoutMs is reported by the driver's own validation, naming the field.
    const timeoutMs = typeof own === 'number' && Number.isFinite(own) && own >= 0 ? own : this.#defaultMs;
    return timeoutMs === undefined ? undefined : timeoutMs + waitGrace(timeoutMs);
  }

  /** Starts a call's deadline; none when it has no timeout or its caller has already aborted. */
  start<O extends ReadOptions>(
    operation: string,
    options: O | undefined,
    timeoutMs: number | undefined,
  ): CallBounds<O> {
    if (timeoutMs === undefined || options?.signal?.aborted) return unbounded(options);
    const deadline = startCallDeadline(options?.signal, timeoutMs, operation);
    this.#running.add(deadline);
    return {
      options: { ...options, signal: deadline.signal } as O,
      // A driver that reports any abort as `aborted` still ends in `timeout` when the deadline was it.
      fail: (error) => {
        const found = findBrokerError(error);
        const byDeadline = deadlinePassed(deadline.signal) && !options?.signal?.aborted;
        throw byDeadline && (!found || found.code === 'aborted') ? deadline.signal.reason : error;
      },
      done: () => {
        this.#running.delete(deadline);
        deadline.done();
      },
    };
  }

  /** Ends every call in flight with `reason`, so that no request or sleep outlives the platform. */
  cancelAll(reason: BrokerError): void {
    for (const call of this.#running) call.cancel(reason);
  }
}

/**
 * How far past `wait.timeoutMs` a mutating call's deadline lies: the wait starts after the
 * call's first requests, and its own timeout (which reports the last state seen) should
 * normally be the one that ends it. A tenth of the timeout, 50 ms to 1 s.
 */
function waitGrace(timeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.round(timeoutMs / 10)));
}
