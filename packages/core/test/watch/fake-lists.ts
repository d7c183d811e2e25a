import type { Clock, Server, Volume } from '../../src/index.js';
import type { WatchResource } from '../../src/watch/resource-diff.js';
import { SharedLists } from '../../src/watch/shared-lists.js';
import type { Watch, WatchEvent } from '../../src/watch/watch-types.js';
import { flush } from '../support/manual-clock.js';

/** A volume with the fields a watch compares. */
export function volume(id: string, over: Partial<Volume> = {}): Volume {
  return {
    id,
    providerId: id,
    status: 'available',
    providerStatus: 'available',
    sizeGiB: 1,
    multiAttach: false,
    attachments: [],
    metadata: {},
    ...over,
  };
}

/** A server with the fields a watch compares. */
export function server(id: string, over: Partial<Server> = {}): Server {
  return {
    id,
    providerId: id,
    name: id,
    status: 'running',
    providerStatus: 'ACTIVE',
    addresses: [],
    metadata: {},
    ...over,
  };
}

/** A cloud of lists a test edits between ticks; counts the lists and can fail them. */
export function fakeLists(clock?: Clock) {
  const state = { volume: new Map<string, WatchResource>(), server: new Map<string, WatchResource>() };
  const calls = { volume: 0, server: 0 };
  let failure: unknown;
  const lists = new SharedLists(async (kind) => {
    calls[kind]++;
    if (failure) throw failure;
    return [...state[kind].values()];
  }, clock);
  return {
    lists,
    calls,
    put(
      resource: Volume | Server,
      kind: 'volume' | 'server' = 'attachments' in resource ? 'volume' : 'server',
    ) {
      state[kind].set(resource.id, resource);
    },
    remove(kind: 'volume' | 'server', id: string) {
      state[kind].delete(id);
    },
    fail(error: unknown) {
      failure = error;
    },
  };
}

/** The events a watch has queued so far, taken without waiting for more. */
export async function drain(iterator: AsyncIterator<WatchEvent>, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

/** True when the iterator has no event ready now (its next call stays pending). */
export async function idle(
  iterator: AsyncIterator<WatchEvent>,
): Promise<{ pending: boolean; next: Promise<IteratorResult<WatchEvent>> }> {
  let settled = false;
  const next = iterator.next().then((r) => {
    settled = true;
    return r;
  });
  await flush();
  return { pending: !settled, next };
}

/** The iterator of a watch. */
export function iterate(watch: Watch): AsyncIterator<WatchEvent> {
  return watch[Symbol.asyncIterator]();
}

/** Type and id of each event, for compact expectations. */
export function brief(events: readonly WatchEvent[]): string[] {
  return events.map((e) => ('id' in e ? `${e.type} ${e.kind} ${e.id}` : e.type));
}
