import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/index.js';
import { createWatch } from '../../src/watch/create-watch.js';
import type { PushWiring } from '../../src/watch/push-feed.js';
import type { WatchResource } from '../../src/watch/resource-diff.js';
import type { WatchHint, WatchSourceListener } from '../../src/watch/watch-source.js';
import type { WatchKind } from '../../src/watch/watch-types.js';
import { manualClock } from '../support/manual-clock.js';
import { brief, drain, fakeLists, idle, iterate, volume } from './fake-lists.js';

/** A push source a test drives by hand, reading from the same fake cloud as the lists. */
function fakePush(cloud: ReturnType<typeof fakeLists>, store: Map<string, WatchResource>) {
  const listeners = new Set<WatchSourceListener>();
  const reads: string[] = [];
  let failure: unknown;
  const wiring: PushWiring = {
    source: {
      name: 'fake',
      subscribe(listener) {
        listeners.add(listener);
        return { close: async () => void listeners.delete(listener) };
      },
    },
    read: async (kind: WatchKind, id: string) => {
      reads.push(`${kind}/${id}`);
      if (failure) throw failure;
      return store.get(`${kind}/${id}`);
    },
    scrub: (text) => text.replaceAll('s3cret', '***'),
  };
  return {
    wiring,
    reads,
    listeners,
    hint: (hint: WatchHint) => {
      for (const l of listeners) l.hint(hint);
    },
    state: (up: boolean, reason?: string) => {
      for (const l of listeners) l.state(up, reason);
    },
    failReads(error: unknown) {
      failure = error;
    },
    put(kind: WatchKind, resource: WatchResource) {
      store.set(`${kind}/${resource.id}`, resource);
      cloud.put(resource as never, kind);
    },
  };
}

function setup(options: { source?: 'auto' | 'poll' | 'notifications' } = {}) {
  const clock = manualClock(0);
  const cloud = fakeLists(clock);
  const push = fakePush(cloud, new Map());
  push.put('volume', volume('v1'));
  const watch = createWatch(
    cloud.lists,
    { volumes: {} },
    { pollMs: 1000, resyncMs: 60_000, source: options.source ?? 'auto' },
    clock,
    push.wiring,
  );
  return { clock, cloud, push, watch, it: iterate(watch) };
}

describe('watch with a push source', () => {
  it('turns a hint into the event a read shows, and polls only at resync while the bus is up', async () => {
    const { clock, cloud, push, it } = setup();
    push.state(true);
    expect(brief(await drain(it, 3))).toEqual(['source', 'added volume v1', 'synced']);
    push.put('volume', volume('v1', { status: 'in-use', providerStatus: 'in-use' }));
    push.hint({ kind: 'volume', id: 'v1', cause: 'volume.attach.end' });
    const [event] = await drain(it, 1);
    expect(event).toMatchObject({ type: 'modified', id: 'v1', changes: ['status'] });
    expect(push.reads).toEqual(['volume/v1']);
    const before = cloud.calls.volume;
    await clock.advance(30_000);
    expect(cloud.calls.volume).toBe(before);
    await clock.advance(31_000);
    expect(cloud.calls.volume).toBe(before + 1);
  });

  it('sends nothing for a hint of an unchanged resource or one the selector does not take', async () => {
    const { push, it } = setup();
    push.state(true);
    await drain(it, 3);
    push.hint({ kind: 'volume', id: 'v1' });
    push.hint({ kind: 'server', id: 's1' });
    expect((await idle(it)).pending).toBe(true);
    expect(push.reads).toEqual(['volume/v1']);
  });

  it('sends deleted when the read finds the resource gone, and added for a new one', async () => {
    const { push, it } = setup();
    push.state(true);
    await drain(it, 3);
    push.put('volume', volume('v2'));
    push.hint({ kind: 'volume', id: 'v2' });
    expect(brief(await drain(it, 1))).toEqual(['added volume v2']);
    push.hint({ kind: 'volume', id: 'v9' });
    expect((await idle(it)).pending).toBe(true);
  });

  it('falls back to polling when the source drops, saying why, and goes back when it returns', async () => {
    const { clock, cloud, push, it } = setup();
    push.state(true);
    await drain(it, 3);
    push.state(false, 'connection closed: amqp://u:s3cret@host');
    const [down] = await drain(it, 1);
    expect(down).toEqual({ type: 'source', source: 'poll', reason: 'connection closed: amqp://u:***@host' });
    const before = cloud.calls.volume;
    await clock.advance(3000);
    expect(cloud.calls.volume).toBeGreaterThanOrEqual(before + 3);
    push.state(true);
    expect(await drain(it, 1)).toEqual([{ type: 'source', source: 'notifications' }]);
  });

  it('polls from the start when the source never comes up', async () => {
    const { clock, cloud, push, it } = setup();
    push.state(false, 'ECONNREFUSED');
    expect(brief(await drain(it, 3))).toEqual(['source', 'added volume v1', 'synced']);
    await clock.advance(2000);
    expect(cloud.calls.volume).toBeGreaterThanOrEqual(3);
  });

  it('polls at once when a hint read fails, so the change still arrives', async () => {
    const { clock, push, it } = setup();
    push.state(true);
    await drain(it, 3);
    push.failReads(new BrokerError('unavailable', 'cinder is paused'));
    push.put('volume', volume('v1', { status: 'error', providerStatus: 'error' }));
    push.hint({ kind: 'volume', id: 'v1' });
    expect(brief(await drain(it, 1))).toEqual(['error']);
    await clock.advance(1000);
    expect(await drain(it, 1)).toMatchObject([{ type: 'modified', id: 'v1', changes: ['status'] }]);
  });

  it('ignores the source with source poll, and unsubscribes on close', async () => {
    const polled = setup({ source: 'poll' });
    expect(polled.push.listeners.size).toBe(0);
    polled.watch.close();
    const { push, watch } = setup();
    expect(push.listeners.size).toBe(1);
    watch.close();
    await Promise.resolve();
    expect(push.listeners.size).toBe(0);
  });

  it('refuses source notifications on a platform without a push source, naming the field', () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    expect(() => createWatch(cloud.lists, { volumes: {} }, { source: 'notifications' }, clock)).toThrow(
      expect.objectContaining({ code: 'invalid-request', field: 'options.source' }),
    );
  });
});
