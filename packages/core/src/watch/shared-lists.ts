import { type Clock, systemClock } from '../clock.js';
import { SingleFlight } from '../single-flight.js';
import type { WatchResource } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';

/** The full, unfiltered list of one kind: a platform's `listVolumes()` or `listServers()`. */
export type KindLister = (kind: WatchKind, signal: AbortSignal) => Promise<readonly WatchResource[]>;

interface Settled {
  readonly tick: number;
  /** Clock time the list was sent: a list older than a watch's start is not that watch's. */
  readonly sentAt: number;
  readonly list: readonly WatchResource[];
}

/**
 * One list per kind per tick for every watch of a platform. Watches poll on a grid of clock
 * time (multiples of their poll period), so the watches of one tick ask together: the first
 * starts the list, the others join it while it runs (single flight) or take its result once
 * it has settled, until the next tick. The list is unfiltered and each watch selects from it,
 * so watches with different selectors still share it. It is not the poll coalescer of the
 * waits: that one batches reads of known ids (`readMany(ids)`), while a watch must also see
 * resources it does not know yet, which only a list shows.
 */
export class SharedLists {
  readonly #lister: KindLister;
  readonly #flights = new SingleFlight<readonly WatchResource[]>();
  readonly #settled = new Map<WatchKind, Settled>();
  readonly #sentAt = new Map<string, number>();
  readonly #clock: Clock;
  #requests = 0;

  constructor(lister: KindLister, clock: Clock = systemClock) {
    this.#lister = lister;
    this.#clock = clock;
  }

  /** Lists sent so far, for tests and metrics. */
  get requests(): number {
    return this.#requests;
  }

  /**
   * The list of `kind` for grid tick `tick`, shared with every other watch of that tick. A list
   * sent before `notBefore` (the asking watch's start) is never given to it: a watch must not
   * miss what happened just before it started, such as a server made for it to follow.
   */
  async list(
    kind: WatchKind,
    tick: number,
    notBefore: number,
    signal: AbortSignal,
  ): Promise<readonly WatchResource[]> {
    const settled = this.#settled.get(kind);
    if (settled?.tick === tick && settled.sentAt >= notBefore) return settled.list;
    const key = `${kind}@${tick}`;
    const running = this.#sentAt.get(key);
    const fresh = running === undefined || running >= notBefore ? key : `${key}>${notBefore}`;
    const list = await this.#flights.run(fresh, signal, async (shared) => {
      const sentAt = this.#clock.now();
      this.#sentAt.set(fresh, sentAt);
      this.#requests++;
      try {
        const result = await this.#lister(kind, shared);
        // Only the latest tick's list is kept, so the memory held is one list per kind.
        const latest = this.#settled.get(kind);
        if (!latest || latest.tick < tick || (latest.tick === tick && latest.sentAt < sentAt)) {
          this.#settled.set(kind, { tick, sentAt, list: result });
        }
        return result;
      } finally {
        this.#sentAt.delete(fresh);
      }
    });
    return list;
  }
}
