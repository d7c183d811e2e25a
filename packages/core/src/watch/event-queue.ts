import type { BrokerError } from '../errors.js';
import { changedParts, fingerprint, type ResourceDiff } from './resource-diff.js';
import type { DeliveredDigest } from './watch-cursor.js';
import type {
  WatchErrorEvent,
  WatchEvent,
  WatchKind,
  WatchResourceEvent,
  WatchSourceEvent,
} from './watch-types.js';

interface Pending {
  readonly kind: WatchKind;
  readonly diff: ResourceDiff;
  readonly observedAt: number;
}

type Entry =
  | { readonly tag: 'change'; readonly change: Pending }
  | { readonly tag: 'synced' }
  | { readonly tag: 'error'; readonly event: WatchErrorEvent | WatchSourceEvent };

/** Merges a new change into the one still waiting for the same resource, like client-go's DeltaFIFO. */
function merge(old: ResourceDiff, next: ResourceDiff): ResourceDiff | undefined {
  if (old.type === 'added')
    return next.type === 'deleted' ? undefined : { ...next, type: 'added', changes: [] };
  if (next.type === 'deleted') return { ...next, previous: old.previous };
  // The consumer last saw `old.previous` (a modified) or nothing after a deleted it has not taken.
  const seen = old.previous;
  if (!seen) return next;
  if (fingerprint(seen) === fingerprint(next.resource)) return undefined;
  return {
    type: 'modified',
    id: next.id,
    resource: next.resource,
    previous: seen,
    changes: changedParts(seen, next.resource),
  };
}

/**
 * The events waiting for a slow consumer, bounded by the watched set: at most one entry per
 * resource (a new change merges into the waiting one and keeps its place), one `synced` and
 * one `error` (the latest). The poll loop never waits for the consumer, and never grows this
 * past the resources it watches; a consumer that falls behind sees fewer, merged events, each
 * going from the state it last saw to the latest one.
 */
export class EventQueue {
  readonly #entries = new Map<string, Entry>();
  readonly #digest: DeliveredDigest;
  #waiter: (() => void) | undefined;
  #ended = false;
  #failure: BrokerError | undefined;

  constructor(digest: DeliveredDigest) {
    this.#digest = digest;
  }

  /** Entries waiting, for tests and metrics. */
  get size(): number {
    return this.#entries.size;
  }

  /** Queues one change of a resource, merged with the one still waiting for it. */
  pushChange(kind: WatchKind, diff: ResourceDiff, observedAt: number): void {
    const key = `${kind}/${diff.id}`;
    const waiting = this.#entries.get(key);
    if (waiting?.tag !== 'change') {
      this.#entries.set(key, { tag: 'change', change: { kind, diff, observedAt } });
    } else {
      const merged = merge(waiting.change.diff, diff);
      if (merged) this.#entries.set(key, { tag: 'change', change: { kind, diff: merged, observedAt } });
      else this.#entries.delete(key);
    }
    this.#wake();
  }

  /** Queues the `synced` event, behind every change already queued. */
  pushSynced(): void {
    this.#entries.set('#synced', { tag: 'synced' });
    this.#wake();
  }

  /** Queues a transient error, replacing one not yet taken. */
  pushError(event: WatchErrorEvent): void {
    this.#entries.delete('#error');
    this.#entries.set('#error', { tag: 'error', event });
    this.#wake();
  }

  /** Queues a change of source, replacing one not yet taken (only the latest is true). */
  pushSource(event: WatchSourceEvent): void {
    this.#entries.delete('#source');
    this.#entries.set('#source', { tag: 'error', event });
    this.#wake();
  }

  /** Ends the queue: what waits is dropped; with `failure`, the next take throws it. */
  end(failure?: BrokerError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    this.#entries.clear();
    this.#wake();
  }

  /** The next event, waiting for one; undefined once ended. Throws a fatal failure once. */
  async take(): Promise<WatchEvent | undefined> {
    for (;;) {
      if (this.#ended) {
        const failure = this.#failure;
        this.#failure = undefined;
        if (failure) throw failure;
        return undefined;
      }
      const first = this.#entries.entries().next();
      if (!first.done) {
        const [key, entry] = first.value;
        this.#entries.delete(key);
        return this.#deliver(entry);
      }
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  #deliver(entry: Entry): WatchEvent {
    if (entry.tag === 'synced') return { type: 'synced', cursor: this.#digest.cursor() };
    if (entry.tag === 'error') return entry.event;
    const { kind, diff, observedAt } = entry.change;
    const print = diff.type === 'deleted' ? undefined : fingerprint(diff.resource);
    this.#digest.apply(kind, diff.id, print, observedAt);
    return {
      type: diff.type,
      kind,
      id: diff.id,
      resource: diff.resource,
      ...(diff.previous ? { previous: diff.previous } : {}),
      changes: diff.changes,
      observedAt,
      cursor: this.#digest.cursor(),
    } as WatchResourceEvent;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
