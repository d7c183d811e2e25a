import type { Clock } from '../clock.js';
import { toBrokerError } from '../errors.js';
import type { EventQueue } from './event-queue.js';
import { diffOne, fingerprint, type Known, type WatchResource } from './resource-diff.js';
import type { DeliveredDigest } from './watch-cursor.js';
import { selectFrom } from './watch-selection.js';
import type { WatchHint, WatchSource, WatchSubscription } from './watch-source.js';
import type { WatchKind } from './watch-types.js';
import { type ValidSelector, type ValidWatchOptions, watchedKinds } from './watch-validate.js';

/** Reads one resource by id for a hint; `undefined` when the cloud no longer has it. */
export type HintReader = (
  kind: WatchKind,
  id: string,
  signal: AbortSignal,
) => Promise<WatchResource | undefined>;

/** What a watch needs to use a platform's push source. */
export interface PushWiring {
  /** The driver's source. */
  readonly source: WatchSource;
  /** The platform's own (validated, scrubbed) read by id. */
  readonly read: HintReader;
  /** Cuts the platform's secrets out of a source's reason text. */
  readonly scrub: (text: string) => string;
}

/** What a push feed shares with its watch's poll loop. */
export interface PushFeedParts {
  readonly selector: ValidSelector;
  readonly options: ValidWatchOptions;
  readonly queue: EventQueue;
  readonly digest: DeliveredDigest;
  readonly clock: Clock;
}

/**
 * One watch's use of a push source. While the source is up the poll loop sleeps until the
 * next resync (notifications can be lost, so a full list still runs every `resyncMs`); each
 * hint is a read of the named resource, diffed against the watched state like a list. When
 * the source goes down the watch says so (`source: poll`) and the poll loop polls again.
 * Ticks and hint reads take turns (`serial`), so a late list never undoes a newer read.
 */
export class PushFeed {
  /** The watched state, shared with the poll loop. */
  readonly known: Map<WatchKind, Map<string, Known>>;
  readonly #parts: PushFeedParts;
  readonly #wiring: PushWiring;
  readonly #stop = new AbortController();
  readonly #pending = new Map<string, WatchHint>();
  #turn: Promise<unknown> = Promise.resolve();
  #subscription: WatchSubscription | undefined;
  // Unknown until the source first reports, so a source that never comes up is reported too.
  #up: boolean | undefined;
  #wake: (() => void) | undefined;

  constructor(parts: PushFeedParts, wiring: PushWiring) {
    this.#parts = parts;
    this.#wiring = wiring;
    this.known = new Map(watchedKinds(parts.selector).map((k) => [k, new Map()]));
  }

  /** Subscribes to the source: hints that arrive before the first list wait their turn. */
  start(): void {
    this.#subscription = this.#wiring.source.subscribe({
      hint: (hint) => this.#hint(hint),
      state: (up, reason) => this.#state(up, reason),
    });
  }

  /** Unsubscribes; the source closes its sockets and timers when no watch is left. */
  close(): Promise<void> {
    this.#stop.abort();
    this.#wakeUp();
    return this.#subscription?.close() ?? Promise.resolve();
  }

  /** Runs `body` when no tick or hint read runs. */
  serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(body, body);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  /** The poll loop's sleep: `ms` while polling, until the next resync while the source is up. */
  async pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#up !== true) return this.#parts.clock.sleep(ms, signal);
    const woken = new AbortController();
    const onAbort = (): void => woken.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#wake = () => woken.abort();
    const { clock, options } = this.#parts;
    try {
      await clock.sleep(options.resyncMs, woken.signal);
      return;
    } catch (error) {
      if (signal.aborted) throw error;
    } finally {
      this.#wake = undefined;
      signal.removeEventListener('abort', onAbort);
    }
    // Woken because the source went down or a read failed: list on the next tick of the grid
    // (this tick's shared list may predate the change).
    await clock.sleep(options.pollMs - (clock.now() % options.pollMs), signal);
  }

  #wakeUp(): void {
    this.#wake?.();
  }

  #state(up: boolean, reason: string | undefined): void {
    if (this.#stop.signal.aborted || up === this.#up) return;
    this.#up = up;
    const why = reason === undefined ? {} : { reason: this.#wiring.scrub(reason) };
    this.#parts.queue.pushSource(
      up ? { type: 'source', source: 'notifications' } : { type: 'source', source: 'poll', ...why },
    );
    if (!up) this.#wakeUp();
  }

  #hint(hint: WatchHint): void {
    if (this.#stop.signal.aborted || !this.known.has(hint.kind)) return;
    const part = this.#parts.selector[hint.kind];
    if (part && 'ids' in part && !part.ids.has(hint.id)) return;
    const key = `${hint.kind}/${hint.id}`;
    // Hints of one resource that wait together cost one read.
    if (this.#pending.has(key)) return;
    this.#pending.set(key, hint);
    void this.serial(async () => {
      this.#pending.delete(key);
      await this.#read(hint);
    });
  }

  async #read(hint: WatchHint): Promise<void> {
    const state = this.known.get(hint.kind);
    if (!state || this.#stop.signal.aborted) return;
    let resource: Known['resource'] | undefined;
    try {
      resource = await this.#wiring.read(hint.kind, hint.id, this.#stop.signal);
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      // The read failed: the poll loop lists now, so the change still arrives.
      this.#parts.queue.pushError({
        type: 'error',
        error: toBrokerError(error, 'a hint read failed'),
        retryInMs: 0,
      });
      this.#wakeUp();
      return;
    }
    if (this.#stop.signal.aborted) return;
    const readAt = this.#parts.clock.now();
    const picked = resource && selectFrom(hint.kind, this.#parts.selector, [resource]).get(hint.id);
    const old = state.get(hint.id);
    if (!picked) {
      if (!old) return;
      state.delete(hint.id);
      const diff = {
        type: 'deleted',
        id: hint.id,
        resource: old.resource,
        previous: old.resource,
        changes: ['deleted'],
      } as const;
      this.#parts.queue.pushChange(hint.kind, diff, readAt);
    } else {
      const diff = diffOne(old, hint.id, picked);
      if (!diff) return;
      state.set(hint.id, { resource: picked, print: fingerprint(picked) });
      this.#parts.queue.pushChange(hint.kind, diff, readAt);
    }
    this.#parts.digest.touch(readAt);
  }
}
