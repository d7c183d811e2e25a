/**
 * Owns every timer the simulator starts, so `stop()` and `reset()` can cancel them all
 * and no timer outlives the server.
 */
export class Scheduler {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #sleepers = new Set<() => void>();

  /** Runs `fn` after `ms` milliseconds (immediately-ish for 0) unless cancelled first. */
  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    // The HTTP server keeps the process alive; pending state changes alone should not.
    timer.unref();
    this.#timers.add(timer);
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
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const sleepers = [...this.#sleepers];
    this.#sleepers.clear();
    for (const wake of sleepers) wake();
  }
}
