import { type CallDeadline, deadlineOf, startCallDeadline } from './call-deadline.js';
import { abortedError, type BrokerError, isBrokerError } from './errors.js';

interface Flight<V> {
  readonly promise: Promise<V>;
  /** Carries the latest deadline of its callers, if they have one, so the request and its retries end by it. */
  readonly shared: CallDeadline | AbortController;
  callers: number;
}

/**
 * Concurrent identical reads share one request: the first caller of a key
 * starts it, later callers of the same key join it until it settles. One
 * caller's abort (or deadline) ends only its own wait; the shared request is
 * aborted when every caller has gone. The request runs until the latest
 * deadline of its callers (a caller with a later one extends it).
 *
 * @example
 * const reads = new SingleFlight<Volume>();
 * const volume = await reads.run(`volume:${id}`, signal, (shared) => cinder.getVolume(id, shared));
 */
export class SingleFlight<V> {
  readonly #flights = new Map<string, Flight<V>>();

  /** Reads in flight, for tests and metrics. */
  get size(): number {
    return this.#flights.size;
  }

  /** `read(shared)` once for all concurrent callers of `key`, each bounded by its own `signal`. */
  run(key: string, signal: AbortSignal | undefined, read: (shared: AbortSignal) => Promise<V>): Promise<V> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, `read ${key}`));
    const mine = deadlineOf(signal);
    let flight = this.#flights.get(key);
    // A caller without a deadline does not join a read that has one: it would end too soon.
    if (flight && mine === undefined && 'extendTo' in flight.shared) flight = undefined;
    if (!flight) {
      const shared =
        mine === undefined
          ? new AbortController()
          : startCallDeadline(undefined, mine - Date.now(), `read ${key}`);
      const promise = settle(() => read(shared.signal));
      const created: Flight<V> = { promise, shared, callers: 0 };
      // Settled: later callers start a fresh read.
      const forget = (): void => {
        if ('done' in shared) shared.done();
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      promise.then(forget, forget);
      this.#flights.set(key, created);
      flight = created;
    } else if (mine !== undefined && 'extendTo' in flight.shared) {
      flight.shared.extendTo(mine);
    }
    return this.#join(key, flight, signal);
  }

  #join(key: string, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> {
    flight.callers++;
    return new Promise<V>((resolve, reject) => {
      let left = false;
      const leave = (): boolean => {
        if (left) return false;
        left = true;
        signal?.removeEventListener('abort', onAbort);
        this.#leave(key, flight);
        return true;
      };
      const onAbort = (): void => {
        if (!leave()) return;
        // The call's own reason: a deadline ends it as `timeout`, an abort as `aborted`.
        reject(abortedError(signal, `read ${key}`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (leave()) resolve(value);
        },
        (error: unknown) => {
          if (leave()) reject(deadlineReason(flight) ?? error);
        },
      );
    });
  }

  #leave(key: string, flight: Flight<V>): void {
    flight.callers--;
    if (flight.callers > 0) return;
    // Nobody waits any more: a request still running is ended and forgotten.
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
    if ('cancel' in flight.shared) {
      flight.shared.cancel(abortedError(undefined, 'a read every caller left'));
      flight.shared.done();
    } else {
      flight.shared.abort();
    }
  }
}

/**
 * The shared deadline's own `timeout`, when it is what ended the read: a transport (an SDK)
 * may reject an aborted request with a plain AbortError, which would read as `aborted`.
 */
function deadlineReason<V>(flight: Flight<V>): BrokerError | undefined {
  const { signal } = flight.shared;
  return signal.aborted && isBrokerError(signal.reason, 'timeout') ? signal.reason : undefined;
}

function settle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
