/**
 * Owns every timer the simulator starts, so `stop()` and `reset()` can cancel them all
 * and no timer outlives the server.
 */
export class Scheduler {
  readonly #timers = new Set<NodeJS.Timeout>();

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

  /** Resolves after `ms`; never resolves if the scheduler is cleared first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
