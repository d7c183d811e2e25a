import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/index.js';
import { createWatch } from '../../src/watch/create-watch.js';
import type { WatchEvent, WatchResourceEvent } from '../../src/watch/watch-types.js';
import { manualClock } from '../support/manual-clock.js';
import { brief, drain, fakeLists, idle, iterate, server, volume } from './fake-lists.js';

const attached = (serverId: string) => ({
  attachments: [{ serverId, volumeId: 'v1', state: 'attached' as const }],
});

function resourceEvent(event: WatchEvent | undefined): WatchResourceEvent {
  if (!event || !('id' in event)) throw new Error(`not a resource event: ${JSON.stringify(event)}`);
  return event;
}

describe('watch', () => {
  it('sends the first list as added, then synced once, then nothing for an unchanged list', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    cloud.put(server('s1'));
    const it = iterate(createWatch(cloud.lists, { volumes: {}, servers: {} }, { pollMs: 1000 }, clock));
    expect(brief(await drain(it, 3))).toEqual(['added volume v1', 'added server s1', 'synced']);
    await clock.advance(5000);
    const quiet = await idle(it);
    expect(quiet.pending).toBe(true);
    expect(cloud.calls).toEqual({ volume: 6, server: 6 });
  });

  it('names what changed and sends deleted when the cloud stops listing a resource', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    cloud.put(server('s1'));
    const it = iterate(createWatch(cloud.lists, { volumes: {}, servers: {} }, { pollMs: 1000 }, clock));
    await drain(it, 3);
    cloud.put(volume('v1', { ...attached('s1'), status: 'in-use', providerStatus: 'in-use' }));
    cloud.put(server('s1', { status: 'error', providerStatus: 'ERROR', metadata: { ha: 'x' } }));
    await clock.advance(1000);
    const [v, s] = (await drain(it, 2)).map(resourceEvent);
    expect(v).toMatchObject({
      type: 'modified',
      kind: 'volume',
      id: 'v1',
      changes: ['attachments', 'status'],
    });
    expect(v?.previous).toEqual(volume('v1'));
    expect(s).toMatchObject({
      type: 'modified',
      kind: 'server',
      changes: ['status', 'metadata'],
      observedAt: 1000,
    });
    cloud.remove('server', 's1');
    cloud.put(server('s2', { status: 'deleted', providerStatus: 'DELETED' }));
    await clock.advance(1000);
    const gone = resourceEvent((await drain(it, 1))[0]);
    expect(gone).toMatchObject({ type: 'deleted', kind: 'server', id: 's1', changes: ['deleted'] });
    expect((await idle(it)).pending).toBe(true);
  });

  it('follows only the selected resources, by ids or by filter', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1', { metadata: { sg: 'yes' } }));
    cloud.put(volume('v2'));
    cloud.put(server('s1'));
    cloud.put(server('s2'));
    const selector = { volumes: { metadata: { sg: 'yes' } }, servers: { ids: ['s2'] } };
    const it = iterate(createWatch(cloud.lists, selector, { pollMs: 1000 }, clock));
    expect(brief(await drain(it, 3))).toEqual(['added volume v1', 'added server s2', 'synced']);
    // A volume that leaves the filter leaves the watched set.
    cloud.put(volume('v1', { metadata: {} }));
    await clock.advance(1000);
    expect(brief(await drain(it, 1))).toEqual(['deleted volume v1']);
  });

  it('shares one list per kind per tick among the watches of a platform', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    const a = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock));
    const b = iterate(createWatch(cloud.lists, { volumes: { ids: ['v1'] } }, { pollMs: 1000 }, clock));
    await drain(a, 2);
    await drain(b, 2);
    await clock.advance(10_000);
    expect(cloud.calls.volume).toBe(11);
    expect(cloud.calls.server).toBe(0);
  });

  it('never gives a watch a list sent before it started, even within one tick', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    const a = iterate(createWatch(cloud.lists, { servers: {} }, { pollMs: 1000 }, clock));
    await drain(a, 1);
    await clock.advance(10);
    cloud.put(server('s1'));
    const b = iterate(createWatch(cloud.lists, { servers: { ids: ['s1'] } }, { pollMs: 1000 }, clock));
    expect(brief(await drain(b, 2))).toEqual(['added server s1', 'synced']);
    expect(cloud.calls.server).toBe(2);
  });

  it('sends a transient failure as an error, backs off, and catches up with what changed meanwhile', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    const it = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock));
    await drain(it, 2);
    cloud.fail(new BrokerError('unavailable', 'cinder is down'));
    await clock.advance(1000);
    const [failed] = await drain(it, 1);
    expect(failed).toMatchObject({ type: 'error', retryInMs: 2000 });
    expect(failed?.type === 'error' && failed.error.code).toBe('unavailable');
    await clock.advance(2000);
    await clock.advance(4000);
    const calls = cloud.calls.volume;
    expect(calls).toBe(4);
    cloud.fail(undefined);
    cloud.remove('volume', 'v1');
    cloud.put(volume('v2'));
    await clock.advance(8000);
    // The latest error waits in one entry; the changes of the outage follow it.
    expect(brief(await drain(it, 3))).toEqual(['error', 'added volume v2', 'deleted volume v1']);
  });

  it('throws a fatal auth-failed from the iteration and stops listing', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.fail(new BrokerError('auth-failed', 'the token was refused'));
    const it = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock));
    await expect(it.next()).rejects.toMatchObject({ code: 'auth-failed' });
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
    await clock.advance(10_000);
    expect(cloud.calls.volume).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('ends on close() and on abort, leaving no timer behind', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    const watch = createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock);
    const it = iterate(watch);
    await drain(it, 2);
    const waiting = it.next();
    watch.close();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    const controller = new AbortController();
    const other = iterate(createWatch(cloud.lists, { volumes: {} }, { signal: controller.signal }, clock));
    await drain(other, 2);
    controller.abort();
    await expect(other.next()).resolves.toEqual({ done: true, value: undefined });
    await clock.advance(0);
    expect(clock.pending()).toBe(0);
  });

  it('merges the changes a slow consumer has not taken, one entry per resource', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    const it = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock));
    await drain(it, 2);
    cloud.put(volume('v1', attached('s1')));
    await clock.advance(1000);
    cloud.put(volume('v1', { ...attached('s1'), status: 'in-use' }));
    cloud.put(volume('v9'));
    await clock.advance(1000);
    cloud.remove('volume', 'v9');
    for (let i = 0; i < 50; i++) {
      cloud.put(volume('v1', { ...attached('s1'), status: 'in-use', metadata: { n: String(i) } }));
      await clock.advance(1000);
    }
    const [merged] = (await drain(it, 1)).map(resourceEvent);
    expect(merged).toMatchObject({
      type: 'modified',
      id: 'v1',
      changes: ['attachments', 'status', 'metadata'],
    });
    expect(merged?.previous).toEqual(volume('v1'));
    expect(merged?.resource.metadata).toEqual({ n: '49' });
    expect((await idle(it)).pending).toBe(true);
  });

  it('resumes from a cursor without replaying an unchanged set, and replays a changed one', async () => {
    const clock = manualClock(0);
    const cloud = fakeLists(clock);
    cloud.put(volume('v1'));
    cloud.put(server('s1'));
    const first = createWatch(cloud.lists, { volumes: {}, servers: {} }, { pollMs: 1000 }, clock);
    const events = await drain(iterate(first), 3);
    first.close();
    const cursor = resourceEvent(events[1]).cursor;
    expect(events[2]).toEqual({ type: 'synced', cursor });
    const again = iterate(createWatch(cloud.lists, { volumes: {}, servers: {} }, { since: cursor }, clock));
    expect(brief(await drain(again, 1))).toEqual(['synced']);
    cloud.put(server('s1', { status: 'stopped', providerStatus: 'SHUTOFF' }));
    await clock.advance(1000);
    const changed = iterate(createWatch(cloud.lists, { volumes: {}, servers: {} }, { since: cursor }, clock));
    expect(brief(await drain(changed, 2))).toEqual(['added server s1', 'synced']);
  });
});
