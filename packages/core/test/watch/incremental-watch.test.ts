import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/index.js';
import { createWatch } from '../../src/watch/create-watch.js';
import { manualClock } from '../support/manual-clock.js';
import { fakeChangesCloud } from './fake-changes.js';
import { brief, drain, idle, iterate, server, volume } from './fake-lists.js';

const inUse = { status: 'in-use' as const, providerStatus: 'in-use' };

describe('watch over changes lists', () => {
  it('lists in full first, then only changes, with a change and a deletion arriving between resyncs', async () => {
    const clock = manualClock(0);
    const cloud = fakeChangesCloud(clock);
    cloud.put(volume('v1'));
    cloud.put(server('s1'));
    cloud.put(server('s2'));
    const options = { pollMs: 1000, resyncMs: 60_000 };
    const it = iterate(createWatch(cloud.lists, { volumes: {}, servers: {} }, options, clock));
    expect(brief(await drain(it, 4))).toEqual([
      'added volume v1',
      'added server s1',
      'added server s2',
      'synced',
    ]);
    await clock.advance(3000);
    cloud.put(volume('v1', inUse));
    cloud.remove('server', 's2', 'loud');
    await clock.advance(1000);
    expect(brief(await drain(it, 2))).toEqual(['modified volume v1', 'deleted server s2']);
    expect((await idle(it)).pending).toBe(true);
    // one full list per kind, the rest changes lists, each from the last answer less the overlap
    expect(cloud.calls.full).toBe(2);
    expect(cloud.calls.changes).toBe(8);
    expect(cloud.calls.sinces.slice(-2)).toEqual([2500, 2500]);
  });

  it('catches at the resync what the changes lists missed, and lists in full only then', async () => {
    const clock = manualClock(0);
    const cloud = fakeChangesCloud(clock, -7_000);
    cloud.put(volume('v1'));
    cloud.put(volume('v2'));
    const it = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000, resyncMs: 10_000 }, clock));
    await drain(it, 3);
    await clock.advance(2000);
    cloud.remove('volume', 'v2', 'quiet');
    cloud.putUnstamped(volume('v1', { metadata: { k: 'v' } }));
    await clock.advance(5000);
    const quiet = await idle(it);
    expect(quiet.pending).toBe(true);
    await clock.advance(3000);
    const first = await quiet.next;
    const events = first.done ? [] : [first.value, ...(await drain(it, 1))];
    expect(brief(events).sort()).toEqual(['deleted volume v2', 'modified volume v1']);
    expect(cloud.calls.full).toBe(2);
    expect(cloud.calls.changes).toBe(9);
    // the cloud's own clock (7 s behind the watch's) is the one sent back
    expect(cloud.calls.sinces[0]).toBe(-7_500);
  });

  it('shares one changes list per tick among watches, and a new watch gets a full list of its own', async () => {
    const clock = manualClock(0);
    const cloud = fakeChangesCloud(clock);
    cloud.put(volume('v1'));
    const a = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000 }, clock));
    await drain(a, 2);
    await clock.advance(2000);
    const b = iterate(createWatch(cloud.lists, { volumes: { ids: ['v1'] } }, { pollMs: 1000 }, clock));
    expect(brief(await drain(b, 2))).toEqual(['added volume v1', 'synced']);
    cloud.put(volume('v1', inUse));
    await clock.advance(5000);
    expect(brief(await drain(a, 1))).toEqual(['modified volume v1']);
    expect(brief(await drain(b, 1))).toEqual(['modified volume v1']);
    expect(cloud.calls.full).toBe(2);
    expect(cloud.calls.changes).toBe(7);
    expect(cloud.lists.fullRequests).toBe(2);
    expect(cloud.lists.requests).toBe(9);
  });

  it('lists in full after a failed tick, so what an outage hid (a volume deleted unseen) arrives', async () => {
    const clock = manualClock(0);
    const cloud = fakeChangesCloud(clock);
    cloud.put(volume('v1'));
    cloud.put(volume('v2'));
    const it = iterate(createWatch(cloud.lists, { volumes: {} }, { pollMs: 1000, resyncMs: 600_000 }, clock));
    await drain(it, 3);
    await clock.advance(2000);
    cloud.fail(new BrokerError('unavailable', 'cinder is paused'));
    cloud.remove('volume', 'v2', 'quiet');
    await clock.advance(1000);
    expect(brief(await drain(it, 1))).toEqual(['error']);
    cloud.fail(undefined);
    await clock.advance(3000);
    expect(brief(await drain(it, 1))).toEqual(['deleted volume v2']);
    expect(cloud.calls.full).toBe(2);
  });
});
