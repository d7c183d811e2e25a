import { BrokerError, isBrokerError } from './errors.js';

// Each call's deadline (Date.now() based), keyed by the signal that carries it to the driver.
const deadlines = new WeakMap<AbortSignal, number>();
// The last state a wait of the call read, for the deadline's own timeout (see noteState).
const lastStates = new WeakMap<AbortSignal, unknown>();

/** One call's deadline as a signal every request and sleep of the call is given. */
export interface CallDeadline {
  /** Aborts with a `timeout` BrokerError at the deadline, or with the caller's reason when it aborts. */
  readonly signal: AbortSignal;
  /** Clears the timer and the caller listener; call it when the call has ended. */
  done(): void;
  /** Ends the call now with `reason` (a closing broker ends the calls still running). */
  cancel(reason: unknown): void;
  /**
   * Moves the deadline later, to `at` (Date.now() based), never sooner: a read shared by
   * several calls (see SingleFlight) runs until the last of them must end.
   */
  extendTo(at: number): void;
}

/**
 * Starts the deadline of one call: `timeoutMs` from now, or sooner when the
 * caller's `parent` signal aborts. Drivers only pass the signal on, so every
 * request, retry sleep and poll of the call ends by the deadline, whatever the
 * transport. The timer is unref'd and cleared by `done()`: nothing outlives the call.
 */
export function startCallDeadline(
  parent: AbortSignal | undefined,
  timeoutMs: number,
  operation: string,
): CallDeadline {
  const controller = new AbortController();
  const signal = controller.signal;
  const onParentAbort = (): void => controller.abort(parent?.reason);
  const expire = (): void => {
    controller.abort(
      new BrokerError('timeout', `${operation} did not finish within its deadline of ${timeoutMs} ms`, {
        lastState: lastStates.get(signal),
      }),
    );
  };
  let timer = setTimeout(expire, timeoutMs);
  timer.unref?.();
  const inherited = parent ? deadlineOf(parent) : undefined;
  const own = Date.now() + timeoutMs;
  deadlines.set(signal, inherited === undefined ? own : Math.min(own, inherited));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal,
    done() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
    cancel(reason) {
      controller.abort(reason);
    },
    extendTo(at) {
      const current = deadlines.get(signal);
      if (signal.aborted || current === undefined || at <= current || inherited !== undefined) return;
      clearTimeout(timer);
      timer = setTimeout(expire, at - Date.now());
      timer.unref?.();
      deadlines.set(signal, at);
    },
  };
}

/**
 * Records `value` as the last state the call of `signal` read (a wait's poll),
 * so a timeout raised by the call's deadline, not by the wait, still carries
 * it. Only a call deadline's own signal is tracked.
 */
export function noteState(signal: AbortSignal | undefined, value: unknown): void {
  if (signal !== undefined && deadlines.has(signal)) lastStates.set(signal, value);
}

/** When the call `signal` belongs to must end (Date.now() based), if it has a deadline. */
export function deadlineOf(signal: AbortSignal | undefined): number | undefined {
  return signal ? deadlines.get(signal) : undefined;
}

/** Milliseconds left before the deadline of `signal`'s call; Infinity when it has none. */
export function timeLeft(signal: AbortSignal | undefined): number {
  const deadline = deadlineOf(signal);
  return deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, deadline - Date.now());
}

/** True when `signal` aborted because its call's deadline passed (not because the caller aborted). */
export function deadlinePassed(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && isBrokerError(signal.reason, 'timeout');
}
