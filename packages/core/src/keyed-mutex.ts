/**
 * Runs tasks one at a time per key (attach/detach per server, since device
 * names race), while tasks of different keys run in parallel. Keys are
 * forgotten once their queue drains, so memory stays bounded.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of `key` has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Nothing queued for the key (the usual case): run at once, without waiting a turn.
    const tail = previous ? previous.then(() => mine) : mine;
    this.#tails.set(key, tail);
    if (previous) await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Keys with a task running or queued. */
  get size(): number {
    return this.#tails.size;
  }
}
