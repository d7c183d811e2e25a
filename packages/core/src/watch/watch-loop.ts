import type { Clock } from '../clock.js';
import { BrokerError, isBrokerError, toBrokerError } from '../errors.js';
import type { EventQueue } from './event-queue.js';
import type { PushFeed } from './push-feed.js';
import { diffFull, fingerprint, type Known } from './resource-diff.js';
import type { SharedLists } from './shared-lists.js';
import { type CursorState, type DeliveredDigest, digestOf } from './watch-cursor.js';
import { selectFrom } from './watch-selection.js';
import type { WatchKind } from './watch-types.js';
import { type ValidSelector, type ValidWatchOptions, watchedKinds } from './watch-validate.js';

/** What one watch's poll loop works with. */
export interface WatchLoopParts {
  readonly selector: ValidSelector;
  readonly options: ValidWatchOptions;
  readonly lists: SharedLists;
  readonly queue: EventQueue;
  readonly digest: DeliveredDigest;
  readonly clock: Clock;
  /** Clock time the watch started: no list sent before it is used. */
  readonly startedAt: number;
  /** The cursor the watch resumes from, decoded. */
  readonly resume: CursorState | undefined;
  /** The push source's feed, when the watch takes notifications (it holds the watched state). */
  readonly push?: PushFeed;
}

const MAX_BACKOFF_MS = 30_000;

/** Failures that end a watch: no repeat can succeed until someone changes the credentials or rights. */
function isFatal(error: unknown): error is BrokerError {
  return isBrokerError(error, 'auth-failed') || isBrokerError(error, 'forbidden');
}

/**
 * The poll loop of one watch: on each tick of its grid it lists every watched kind (shared
 * with the platform's other watches), diffs the list against what it knows and queues the
 * differences. A failed tick queues an `error` and waits with a growing backoff; the next
 * good list then shows whatever changed meanwhile. It runs until `signal` aborts.
 */
export async function runWatchLoop(parts: WatchLoopParts, signal: AbortSignal): Promise<void> {
  const { options, clock, queue } = parts;
  const known =
    parts.push?.known ??
    new Map<WatchKind, Map<string, Known>>(watchedKinds(parts.selector).map((k) => [k, new Map()]));
  let synced = false;
  let failures = 0;
  while (!signal.aborted) {
    try {
      // After a failure the list is full too: an outage may hide a Cinder volume deleted
      // unseen, and a full list shows the whole state the outage left.
      const tick = async (): Promise<void> => {
        for (const [kind, state] of known) await tickKind(parts, kind, state, synced, failures > 0, signal);
      };
      await (parts.push ? parts.push.serial(tick) : tick());
      if (!synced) queue.pushSynced();
      synced = true;
      failures = 0;
      const delay = options.pollMs - (clock.now() % options.pollMs);
      await (parts.push ? parts.push.pause(delay, signal) : clock.sleep(delay, signal));
    } catch (error) {
      if (signal.aborted) return;
      if (isFatal(error)) return queue.end(error);
      failures++;
      const base = Math.min(MAX_BACKOFF_MS, options.pollMs * 2 ** Math.min(failures, 16));
      const retryInMs = Math.round(base * (0.8 + 0.4 * clock.random()));
      queue.pushError({ type: 'error', error: toBrokerError(error, 'a watch list failed'), retryInMs });
      try {
        await clock.sleep(retryInMs, signal);
      } catch {
        return;
      }
    }
  }
}

/** One kind's list of this tick, diffed into the queue. */
async function tickKind(
  parts: WatchLoopParts,
  kind: WatchKind,
  state: Map<string, Known>,
  synced: boolean,
  recovering: boolean,
  signal: AbortSignal,
): Promise<void> {
  const listedAt = parts.clock.now();
  const tick = Math.floor(listedAt / parts.options.pollMs);
  // The first list is full, so the first `added` are the whole selection; later ones list
  // changes only where the platform can, and in full every `resyncMs`.
  const list = await parts.lists.list(kind, tick, parts.startedAt, signal, {
    full: !synced || recovering,
    resyncMs: parts.options.resyncMs,
  });
  if (signal.aborted) throw new BrokerError('aborted', 'the watch was closed');
  const next = selectFrom(kind, parts.selector, list);
  if (!synced && resumesUnchanged(parts, kind, next)) {
    // The cursor's state is the cloud's: the consumer knows it all, so nothing is replayed.
    for (const [id, resource] of next) {
      const print = fingerprint(resource);
      state.set(id, { resource, print });
      parts.digest.apply(kind, id, print, listedAt);
    }
    return;
  }
  for (const diff of diffFull(state, next)) {
    if (diff.type === 'deleted') state.delete(diff.id);
    else state.set(diff.id, { resource: diff.resource, print: fingerprint(diff.resource) });
    parts.queue.pushChange(kind, diff, listedAt);
  }
  parts.digest.touch(listedAt);
}

/** True when the watch resumes from a cursor whose digest of `kind` matches the list. */
function resumesUnchanged(
  parts: WatchLoopParts,
  kind: WatchKind,
  next: ReadonlyMap<string, Known['resource']>,
): boolean {
  const wanted = parts.resume?.digests[kind];
  if (!wanted) return false;
  const have = digestOf([...next].map(([id, resource]) => [id, fingerprint(resource)] as const));
  return have.count === wanted.count && have.sum === wanted.sum;
}
