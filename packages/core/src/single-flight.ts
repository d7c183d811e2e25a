import { abortedError } from './errors.js';

interface Flight<V> {
  readonly promise: Promise<V>;
  readonly controller: AbortController;
  callers: number;
}

/**
 * Concurrent identical reads share one request: the first caller of a key
 * starts it, later callers of the same key join it until it settles. One
 * caller's abort (or deadline) ends only its own wait; the shared request is
 * aborted when every caller has gone. The request is thus bounded by the
 * latest deadline of its callers.
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
    let flight = this.#flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = settle(() => read(controller.signal));
      const created: Flight<V> = { promise, controller, callers: 0 };
      // Settled: later callers start a fresh read.
      const forget = (): void => {
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      promise.then(forget, forget);
      this.#flights.set(key, created);
      flight = created;
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
          if (leave()) reject(error);
        },
      );
    });
  }

  #leave(key: string, flight: Flight<V>): void {
    flight.callers--;
    if (flight.callers > 0) return;
    // Nobody waits any more: a request still running is ended and forgotten.
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
    flight.controller.abort();
  }
}

function settle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
