/**
 * Runs tasks one at a time per key (attach/detach per server, since device
 * names race), while tasks of different keys run in parallel. Keys are
 * forgotten once their queue drains, so memory stays bounded.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of `key` has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /**
   * Waits for `key`'s turn and returns its release: the next holder of the key starts once
   * it is called. A holder may release before its task ends (an attach once its request is
   * sent, not after its wait); later calls do nothing, so every path may call it.
   */
  async acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key);
    let open!: () => void;
    const mine = new Promise<void>((resolve) => {
      open = resolve;
    });
    const tail = previous ? previous.then(() => mine) : mine;
    this.#tails.set(key, tail);
    // Nothing queued for the key (the usual case): go at once, without waiting a turn.
    if (previous) await previous;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      open();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }

  /** Keys with a task running or queued. */
  get size(): number {
    return this.#tails.size;
  }
}
