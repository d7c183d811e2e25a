import { type Clock, systemClock } from '../clock.js';
import { BrokerError } from '../errors.js';
import { EventQueue } from './event-queue.js';
import { PushFeed, type PushWiring } from './push-feed.js';
import type { SharedLists } from './shared-lists.js';
import { DeliveredDigest, decodeCursor } from './watch-cursor.js';
import { runWatchLoop } from './watch-loop.js';
import type { Watch, WatchEvent, WatchOptions, WatchSelector } from './watch-types.js';
import { validateSelector, validateWatchOptions, watchedKinds } from './watch-validate.js';

/**
 * Starts a watch over a platform's shared lists. Input is checked first (a bad field is an
 * `invalid-request` naming it, thrown here); the poll loop then runs until `close()`, the
 * options' abort or a fatal error, queuing events for the one consumer. With `push` (the
 * platform's push source) and source `notifications` or `auto`, hints from it are read too.
 */
export function createWatch(
  lists: SharedLists,
  selector: WatchSelector,
  options?: WatchOptions,
  clock: Clock = systemClock,
  push?: PushWiring,
): Watch {
  const valid = validateSelector(selector);
  if (valid.server && 'filter' in valid.server && valid.server.filter.idempotencyKey !== undefined) {
    // The key is read by each driver its own way, so a list filtered in core cannot check it.
    throw new BrokerError(
      'invalid-request',
      'selector.servers.idempotencyKey: watch such a server by its id',
      {
        field: 'selector.servers.idempotencyKey',
      },
    );
  }
  const opts = validateWatchOptions(options, push !== undefined);
  const resume = opts.since === undefined ? undefined : decodeCursor(opts.since);
  const digest = new DeliveredDigest(watchedKinds(valid));
  const queue = new EventQueue(digest);
  const stop = new AbortController();
  const feed =
    push && opts.source === 'notifications'
      ? new PushFeed({ selector: valid, options: opts, queue, digest, clock }, push)
      : undefined;
  const close = (): void => {
    if (stop.signal.aborted) return;
    stop.abort();
    queue.end();
    // The source closes its own sockets; a failure to close is not the consumer's to handle.
    feed?.close().catch(() => undefined);
  };
  if (opts.signal?.aborted) close();
  opts.signal?.addEventListener('abort', close, { once: true });
  const parts = {
    selector: valid,
    options: opts,
    lists,
    queue,
    digest,
    clock,
    resume,
    startedAt: clock.now(),
    ...(feed ? { push: feed } : {}),
  };
  // Subscribed before the first list, so no change between the list and the bus is missed.
  if (!stop.signal.aborted) feed?.start();
  void runWatchLoop(parts, stop.signal).finally(() => opts.signal?.removeEventListener('abort', close));
  let iterated = false;
  return {
    close,
    [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
      if (iterated) throw new BrokerError('invalid-request', 'a watch is iterated once');
      iterated = true;
      return {
        next: async () => {
          const event = await queue.take().catch((error: unknown) => {
            close();
            throw error;
          });
          return event === undefined ? { done: true, value: undefined } : { done: false, value: event };
        },
        return: async () => {
          close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
