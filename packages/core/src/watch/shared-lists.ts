import { type Clock, systemClock } from '../clock.js';
import { SingleFlight } from '../single-flight.js';
import type { ChangeList } from './change-list.js';
import { ListMirror } from './list-mirror.js';
import type { WatchResource } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';

/** The full, unfiltered list of one kind: a platform's `listVolumes()` or `listServers()`. */
export type KindLister = (kind: WatchKind, signal: AbortSignal) => Promise<readonly WatchResource[]>;

/**
 * A platform's changes list of one kind (`listVolumeChanges`, `listServerChanges`): what
 * changed since `since`, or the whole set when it is undefined.
 */
export type ChangeLister = (
  kind: WatchKind,
  since: string | undefined,
  signal: AbortSignal,
) => Promise<ChangeList<WatchResource>>;

/** What a watch asks of a tick's list. */
export interface ListWant {
  /** Its first list must be a full one: its `added` are then the cloud's whole selection. */
  readonly full: boolean;
  /** Its resync period: a full list runs when the last one is older than this. */
  readonly resyncMs: number;
}

interface Settled {
  readonly tick: number;
  /** Clock time the list was sent: a list older than a watch's start is not that watch's. */
  readonly sentAt: number;
  readonly full: boolean;
  readonly list: readonly WatchResource[];
}

const ANY: ListWant = { full: false, resyncMs: Number.POSITIVE_INFINITY };

/**
 * One list per kind per tick for every watch of a platform. Watches poll on a grid of clock
 * time (multiples of their poll period), so the watches of one tick ask together: the first
 * starts the list, the others join it while it runs (single flight) or take its result once
 * it has settled, until the next tick. The list is unfiltered and each watch selects from it,
 * so watches with different selectors still share it. It is not the poll coalescer of the
 * waits: that one batches reads of known ids (`readMany(ids)`), while a watch must also see
 * resources it does not know yet, which only a list shows.
 *
 * With a changes lister, a tick asks the cloud only what changed since the last list and
 * applies it to the kind's mirror of the whole set; a full list runs for a watch's first list
 * and once the last full list is older than a watch's `resyncMs`. Every watch still gets the
 * whole set, so the watch loop diffs as it always did.
 */
export class SharedLists {
  readonly #lister: KindLister;
  readonly #changes: ChangeLister | undefined;
  readonly #flights = new SingleFlight<readonly WatchResource[]>();
  readonly #settled = new Map<WatchKind, Settled>();
  readonly #mirrors = new Map<WatchKind, ListMirror>();
  readonly #sentAt = new Map<string, number>();
  readonly #clock: Clock;
  #requests = 0;
  #fullRequests = 0;

  constructor(lister: KindLister, clock: Clock = systemClock, changes?: ChangeLister) {
    this.#lister = lister;
    this.#clock = clock;
    this.#changes = changes;
  }

  /** Lists sent so far, for tests and metrics. */
  get requests(): number {
    return this.#requests;
  }

  /** Of `requests`, the full lists (the rest listed changes only). */
  get fullRequests(): number {
    return this.#fullRequests;
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
    want: ListWant = ANY,
  ): Promise<readonly WatchResource[]> {
    const settled = this.#settled.get(kind);
    if (settled?.tick === tick && settled.sentAt >= notBefore && (settled.full || !want.full)) {
      return settled.list;
    }
    const mirror = this.#mirror(kind);
    const since = want.full ? undefined : mirror.since(this.#clock.now(), want.resyncMs);
    const key = `${kind}@${tick}${since === undefined ? '/full' : ''}`;
    const running = this.#sentAt.get(key);
    const fresh = running === undefined || running >= notBefore ? key : `${key}>${notBefore}`;
    return this.#flights.run(fresh, signal, async (shared) => {
      const sentAt = this.#clock.now();
      this.#sentAt.set(fresh, sentAt);
      this.#requests++;
      if (since === undefined) this.#fullRequests++;
      const base = mirror.version;
      try {
        mirror.apply(await this.#ask(kind, since, shared), sentAt, base);
        const list = mirror.list;
        // Only the latest tick's list is kept: the memory held is the mirror of each kind.
        const latest = this.#settled.get(kind);
        if (!latest || latest.tick < tick || (latest.tick === tick && latest.sentAt < sentAt)) {
          this.#settled.set(kind, { tick, sentAt, full: since === undefined, list });
        }
        return list;
      } finally {
        this.#sentAt.delete(fresh);
      }
    });
  }

  #mirror(kind: WatchKind): ListMirror {
    let mirror = this.#mirrors.get(kind);
    if (!mirror) {
      mirror = new ListMirror();
      this.#mirrors.set(kind, mirror);
    }
    return mirror;
  }

  /** The changes since `since`, or the whole set; a platform without changes lists lists it all. */
  async #ask(kind: WatchKind, since: string | undefined, signal: AbortSignal) {
    if (this.#changes) return this.#changes(kind, since, signal);
    const items = await this.#lister(kind, signal);
    return { complete: true, items, deleted: [], next: undefined };
  }
}
