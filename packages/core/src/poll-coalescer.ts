import { type Clock, systemClock } from './clock.js';
import { abortedError } from './errors.js';
import type { PollCoalescerOptions, PollWatch } from './poll-watch.js';

export type { PollCoalescerOptions, PollWatch } from './poll-watch.js';

interface Joiner<V> {
  readonly id: string;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
  left: boolean;
}

interface Batch<V> {
  readonly joiners: Joiner<V>[];
  /** The watches that have joined: once every open watch has, nobody is left to wait for. */
  readonly members: Set<object>;
  /** Ends the gathering window (the batch goes out then, or was dropped). */
  readonly window: AbortController;
  /** Aborts the batch's reads: every joiner has gone. */
  readonly controller: AbortController;
  sent: boolean;
}

/** The next tick of the readers off the grid (PollWatch.readOnTick): one timer for them all. */
interface Tick {
  readonly due: Promise<void>;
  readonly timer: AbortController;
  readers: number;
}

/**
 * Concurrent waits for resources of one kind in one scope share one batch
 * read per tick: reads that arrive within `windowMs` of each other go into one
 * `readMany`, and each waiter gets its own resource's value, or the batch's
 * error. A resource missing from the batch is read once more alone before it
 * is called gone (lists lag behind GETs). A waiter alone reads with `readOne`;
 * so does a batch of one id (a GET, not the whole list). The window waits only
 * for watches that have not joined yet: once every open watch is in, it goes.
 * One waiter's abort leaves the others' batch running; the batch read itself
 * is aborted only when every waiter in it has gone.
 */
export class PollCoalescer<V> {
  readonly #o: PollCoalescerOptions<V>;
  readonly #clock: Clock;
  readonly tickMs: number;
  #watching = 0;
  #gathering: Batch<V> | undefined;
  #tick: Tick | undefined;

  constructor(options: PollCoalescerOptions<V>) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.tickMs = options.tickMs ?? 250;
  }

  /** Waiters registered now. */
  get watching(): number {
    return this.#watching;
  }

  /** Registers a waiter of `id` for the life of its wait; close the watch when the wait ends. */
  watch(id: string): PollWatch<V> {
    this.#watching++;
    let closed = false;
    const coalescer = this;
    const member = {};
    const read = (signal: AbortSignal | undefined): Promise<V> =>
      this.#watching > 1 ? this.#join(id, signal, member) : settle(() => this.#o.readOne(id, signal));
    return {
      read,
      readOnTick: async (signal) => {
        if (this.#watching > 1) await this.#tickDue(id, signal);
        return read(signal);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.#watching--;
        // The batch may have been waiting for this watch alone.
        const gathering = this.#gathering;
        if (gathering) this.#sendIfAllIn(gathering);
      },
      tickMs: this.tickMs,
      get sharing() {
        return coalescer.#watching > 1;
      },
    };
  }

  /**
   * Resolves on the tick that readers off the grid go out on: the one already scheduled if its
   * timer has not fired yet (even when its time has just passed, so readers that straddle a
   * tick's boundary still land in one batch), else the grid's next. All of them share that one
   * timer, so they wake in one turn and join one batch; it is cleared when every reader of it
   * has aborted.
   */
  async #tickDue(id: string, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw abortedError(signal, `reading ${id}`);
    let tick = this.#tick;
    if (!tick) {
      const now = this.#clock.now();
      const at = (Math.floor(now / this.tickMs) + 1) * this.tickMs;
      const timer = new AbortController();
      const due = this.#clock.sleep(at - now, timer.signal);
      const created: Tick = { due, timer, readers: 0 };
      // Registered before any reader's await: the tick is over before its readers go on.
      due.then(
        () => {
          if (this.#tick === created) this.#tick = undefined;
        },
        () => {},
      );
      this.#tick = created;
      tick = created;
    }
    tick.readers++;
    try {
      await untilDue(tick.due, signal, id);
    } finally {
      tick.readers--;
      if (tick.readers === 0 && this.#tick === tick) {
        // Every reader has aborted before the tick: no timer outlives them.
        this.#tick = undefined;
        tick.timer.abort();
      }
    }
  }

  /**
   * One read of `id` for a caller off the poll grid (a precheck, a getVolume): registered for
   * this read alone, it joins the grid's next tick while other waiters share (`readOnTick`),
   * and is the plain read at once when it is alone.
   */
  async readOnce(id: string, signal: AbortSignal | undefined): Promise<V> {
    const watch = this.watch(id);
    try {
      return await watch.readOnTick(signal);
    } finally {
      watch.close();
    }
  }

  #join(id: string, signal: AbortSignal | undefined, member: object): Promise<V> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, `polling ${id}`));
    const batch = this.#gathering ?? this.#startBatch();
    const joined = new Promise<V>((resolve, reject) => {
      const finish = (settleWith: () => void): void => {
        if (joiner.left) return;
        joiner.left = true;
        signal?.removeEventListener('abort', onAbort);
        settleWith();
      };
      const joiner: Joiner<V> = {
        id,
        signal,
        left: false,
        resolve: (value) => finish(() => resolve(value)),
        reject: (error) => finish(() => reject(error)),
      };
      const onAbort = (): void => {
        joiner.reject(abortedError(signal, `polling ${id}`));
        if (batch.joiners.every((j) => j.left)) {
          if (this.#gathering === batch) this.#gathering = undefined;
          batch.window.abort();
          batch.controller.abort();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      batch.joiners.push(joiner);
    });
    batch.members.add(member);
    this.#sendIfAllIn(batch);
    return joined;
  }

  #startBatch(): Batch<V> {
    const batch: Batch<V> = {
      joiners: [],
      members: new Set(),
      window: new AbortController(),
      controller: new AbortController(),
      sent: false,
    };
    this.#gathering = batch;
    this.#clock.sleep(this.#o.windowMs ?? 10, batch.window.signal).then(
      () => this.#send(batch),
      () => {}, // sent early (every watch joined), or every joiner left before it was sent
    );
    return batch;
  }

  /** Sends a gathering batch at once when every open watch is in it: no one else can join. */
  #sendIfAllIn(batch: Batch<V>): void {
    if (batch.sent || batch.members.size < this.#watching) return;
    batch.window.abort();
    void this.#send(batch);
  }

  async #send(batch: Batch<V>): Promise<void> {
    if (batch.sent) return;
    batch.sent = true;
    if (this.#gathering === batch) this.#gathering = undefined;
    const live = (): Joiner<V>[] => batch.joiners.filter((j) => !j.left && !j.signal?.aborted);
    const ids = [...new Set(live().map((j) => j.id))];
    if (ids.length === 0) return;
    if (ids.length === 1) {
      // One resource: its own GET, as a lone waiter reads, rather than the scope's whole list.
      const one = settle(() => this.#o.readOne(ids[0] as string, batch.controller.signal));
      for (const joiner of live()) one.then(joiner.resolve, joiner.reject);
      return;
    }
    let found: Map<string, V>;
    try {
      found = await this.#readAll(ids, batch.controller.signal);
    } catch (error) {
      for (const joiner of live()) joiner.reject(error);
      return;
    }
    // Missing from the list: one plain read per id decides (shared by the joiners of that id).
    const confirming = new Map<string, Promise<V>>();
    for (const joiner of live()) {
      if (found.has(joiner.id)) {
        joiner.resolve(found.get(joiner.id) as V);
        continue;
      }
      let confirm = confirming.get(joiner.id);
      if (!confirm) {
        confirm = settle(() => this.#o.readOne(joiner.id, batch.controller.signal));
        confirming.set(joiner.id, confirm);
      }
      confirm.then(joiner.resolve, joiner.reject);
    }
  }

  async #readAll(ids: readonly string[], signal: AbortSignal): Promise<Map<string, V>> {
    const max = this.#o.maxBatch ?? 1000;
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += max) chunks.push(ids.slice(i, i + max));
    const maps = await Promise.all(chunks.map((chunk) => this.#o.readMany(chunk, signal)));
    const all = new Map<string, V>();
    for (const map of maps) for (const [id, value] of map) all.set(id, value);
    return all;
  }
}

function settle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `due`, or an `aborted` error as soon as `signal` aborts. */
function untilDue(due: Promise<void>, signal: AbortSignal | undefined, id: string): Promise<void> {
  if (!signal) return due;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal, `reading ${id}`));
    signal.addEventListener('abort', onAbort, { once: true });
    due.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      () => {}, // the timer is aborted only once no reader waits on it
    );
  });
}
