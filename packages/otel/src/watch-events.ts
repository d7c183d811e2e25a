import type { Watch, WatchEvent } from '@hybrid-broker/core';
import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { ATTR } from './attributes.js';

/** The counter of watch events, made once per telemetry instance. */
export function createWatchEventCounter(meter: Meter): Counter {
  return meter.createCounter('hybrid_broker.watch.events', {
    unit: '{event}',
    description: 'Events watches delivered to their consumers, by type',
  });
}

function attributesOf(event: WatchEvent, platform: string | undefined): Attributes {
  return {
    'hybrid_broker.watch.event.type': event.type,
    ...('kind' in event ? { 'hybrid_broker.watch.kind': event.kind } : {}),
    ...(event.type === 'error' ? { [ATTR.errorType]: event.error.code } : {}),
    ...(platform === undefined ? {} : { [ATTR.platform]: platform }),
  };
}

/**
 * `watch` as it is, counting each event its consumer takes. The count is made where the
 * consumer takes the event, not where a list found it: the watch's queue merges changes a slow
 * consumer has not taken yet (docs/watch.md), and the counter counts what was delivered.
 */
export function countedWatch(watch: Watch, counter: Counter, platform: string | undefined): Watch {
  return {
    close: () => watch.close(),
    [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
      const inner = watch[Symbol.asyncIterator]();
      return {
        async next() {
          const next = await inner.next();
          if (next.done !== true) counter.add(1, attributesOf(next.value, platform));
          return next;
        },
        async return(value?: unknown) {
          watch.close();
          return inner.return ? inner.return(value) : { done: true, value: undefined };
        },
      };
    },
  };
}
