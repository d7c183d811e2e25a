/**
 * Owns every timer the simulator starts, so `stop()` and `reset()` can cancel them all
 * and no timer outlives the server.
 */
export class Scheduler {
  // Each pending change with the function that cancels it (clearTimeout or clearImmediate).
  readonly #timers = new Map<NodeJS.Timeout | NodeJS.Immediate, () => void>();
  readonly #sleepers = new Set<() => void>();

  /**
   * Runs `fn` after `ms` milliseconds unless cancelled first. A 0 ms change runs in the
   * check phase right after the current I/O, so it always lands after the response that
   * started it and before any later request is read: a client's next poll sees it every
   * time (a 0 ms setTimeout is really >= 1 ms and races the next poll, making poll counts,
   * and so benchmarks, vary from run to run).
   */
  after(ms: number, fn: () => void): void {
    const run = () => {
      this.#timers.delete(handle);
      fn();
    };
    const handle = ms <= 0 ? setImmediate(run) : setTimeout(run, ms);
    // The HTTP server keeps the process alive; pending state changes alone should not.
    handle.unref();
    this.#timers.set(
      handle,
      ms <= 0
        ? () => clearImmediate(handle as NodeJS.Immediate)
        : () => clearTimeout(handle as NodeJS.Timeout),
    );
  }

  /** Resolves after `ms`, or at once when the scheduler is cleared (a request never hangs on reset). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#sleepers.add(resolve);
      this.after(ms, () => {
        this.#sleepers.delete(resolve);
        resolve();
      });
    });
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    const sleepers = [...this.#sleepers];
    this.#sleepers.clear();
    for (const wake of sleepers) wake();
  }
}
