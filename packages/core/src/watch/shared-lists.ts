import { SingleFlight } from '../single-flight.js';
import type { WatchResource } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';

/** The full, unfiltered list of one kind: a platform's `listVolumes()` or `listServers()`. */
export type KindLister = (kind: WatchKind, signal: AbortSignal) => Promise<readonly WatchResource[]>;

interface Settled {
  readonly tick: number;
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
  #requests = 0;

  constructor(lister: KindLister) {
    this.#lister = lister;
  }

  /** Lists sent so far, for tests and metrics. */
  get requests(): number {
    return this.#requests;
  }

  /** The list of `kind` for grid tick `tick`, shared with every other watch of that tick. */
  async list(kind: WatchKind, tick: number, signal: AbortSignal): Promise<readonly WatchResource[]> {
    const settled = this.#settled.get(kind);
    if (settled?.tick === tick) return settled.list;
    const list = await this.#flights.run(`${kind}@${tick}`, signal, (shared) => {
      this.#requests++;
      return this.#lister(kind, shared);
    });
    // Only the latest tick's list is kept, so the memory held is one list per kind.
    const latest = this.#settled.get(kind);
    if (!latest || latest.tick < tick) this.#settled.set(kind, { tick, list });
    return list;
  }
}
