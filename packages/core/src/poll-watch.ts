import type { Clock } from './clock.js';

/** What a driver gives a coalescer: a batch read of many ids and a plain read of one. */
export interface PollCoalescerOptions<V> {
  /**
   * Reads many resources of one kind in one scope (a detailed list, a Describe with
   * many ids). Resources the cloud does not list are absent from the map.
   */
  readonly readMany: (ids: readonly string[], signal: AbortSignal) => Promise<ReadonlyMap<string, V>>;
  /** The plain read of one resource (a GET): a lone waiter's poll, and the check of one missing from a batch. */
  readonly readOne: (id: string, signal: AbortSignal | undefined) => Promise<V>;
  readonly clock?: Clock | undefined;
  /** How long a batch gathers reads after its first one. Default 10 ms. */
  readonly windowMs?: number | undefined;
  /** The poll grid (see PollWatch.tickMs). Default 250 ms. */
  readonly tickMs?: number | undefined;
  /** Most ids in one `readMany` (an API's filter limit); more are read in several. Default 1000. */
  readonly maxBatch?: number | undefined;
}

/** One waiter's membership: its reads join the batches of every other waiter of the coalescer. */
export interface PollWatch<V> {
  /** The resource's current value: from the next batch, or a plain read when this waiter is alone. */
  read(signal: AbortSignal | undefined): Promise<V>;
  /**
   * One read for a caller off the poll grid (an attach's precheck, a getVolume): while other
   * waiters share, it waits for the grid's next tick and joins that batch, so it costs no
   * request of its own for at most one tick of delay; alone, it is `read` at once. The readers
   * of one tick share one timer and go into one batch together.
   */
  readOnTick(signal: AbortSignal | undefined): Promise<V>;
  /** Ends the membership (the wait is over). */
  close(): void;
  /** Waits that poll on multiples of this (clock time) land in the same batch. */
  readonly tickMs: number;
  /** True while other waiters are registered too: this waiter's reads then join batches. */
  readonly sharing: boolean;
}
