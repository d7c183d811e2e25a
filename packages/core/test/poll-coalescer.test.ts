import { describe, expect, it } from 'vitest';
import { PlatformScale, PollCoalescer, SCALE_OFF } from '../src/driver-kit.js';
import { BrokerError, isBrokerError } from '../src/index.js';
import { manualClock } from './support/manual-clock.js';

type PollWatchOf = ReturnType<PollCoalescer<string>['watch']>;

/** A cloud of volumes read by batch or one by one, counting both. */
function cloud(states: Record<string, string>) {
  const calls = { many: [] as string[][], one: [] as string[] };
  let manyError: unknown;
  const clock = manualClock(0);
  const coalescer = new PollCoalescer<string>({
    clock,
    windowMs: 10,
    readMany: async (ids) => {
      calls.many.push([...ids]);
      if (manyError) throw manyError;
      return new Map(ids.filter((id) => id in states).map((id) => [id, states[id] as string]));
    },
    readOne: async (id) => {
      calls.one.push(id);
      const state = states[id];
      if (state === undefined) throw new BrokerError('not-found', `volume ${id} not found`);
      return state;
    },
  });
  return { coalescer, calls, clock, failBatch: (e: unknown) => (manyError = e) };
}

describe('PollCoalescer', () => {
  it('fans one batch read out to each waiter', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'in-use', v3: 'available' });
    const watches = ['v1', 'v2', 'v3'].map((id) => coalescer.watch(id));
    const reads = watches.map((w) => w.read(undefined));
    await clock.advance(10);
    await expect(Promise.all(reads)).resolves.toEqual(['attaching', 'in-use', 'available']);
    expect(calls.many).toEqual([['v1', 'v2', 'v3']]);
    expect(calls.one).toEqual([]);
  });

  it('fans a batch error out to each waiter', async () => {
    const { coalescer, clock, failBatch } = cloud({ v1: 'attaching', v2: 'attaching' });
    failBatch(new BrokerError('unavailable', 'cinder is down'));
    const watches = ['v1', 'v2'].map((id) => coalescer.watch(id));
    const reads = watches.map((w) => w.read(undefined).catch((e: unknown) => e));
    await clock.advance(10);
    for (const error of await Promise.all(reads)) expect(isBrokerError(error, 'unavailable')).toBe(true);
  });

  it('confirms a resource missing from the batch with a single read before it is not-found', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'in-use' });
    const watches = ['v1', 'gone'].map((id) => coalescer.watch(id));
    const reads = watches.map((w) => w.read(undefined).catch((e: unknown) => e));
    await clock.advance(10);
    const [v1, gone] = await Promise.all(reads);
    expect(v1).toBe('in-use');
    expect(isBrokerError(gone, 'not-found')).toBe(true);
    expect(calls.one).toEqual(['gone']);
  });

  it('lets one waiter abort without harming the others, and aborts the read when all have gone', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'in-use' });
    const one = new AbortController();
    // A third waiter that does not read now keeps the window open (it may still join).
    const [w1, w2] = [coalescer.watch('v1'), coalescer.watch('v2'), coalescer.watch('v3')];
    const a = w1.read(one.signal);
    const b = w2.read(undefined);
    one.abort();
    await expect(a).rejects.toMatchObject({ code: 'aborted' });
    await clock.advance(10);
    await expect(b).resolves.toBe('in-use');
    // v2 was left alone in the batch: its own GET, not the whole list.
    expect(calls.many).toEqual([]);
    expect(calls.one).toEqual(['v2']);
    const all = new AbortController();
    const c = w1.read(all.signal);
    const d = w2.read(all.signal);
    all.abort();
    await Promise.allSettled([c, d]);
    await clock.advance(10);
    expect(calls.many).toHaveLength(0);
    expect(calls.one).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('reads a lone waiter with a plain GET, and counts only open watches', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'in-use', v2: 'in-use' });
    const alone = coalescer.watch('v1');
    await expect(alone.read(undefined)).resolves.toBe('in-use');
    const other = coalescer.watch('v2');
    other.close();
    other.close();
    await expect(alone.read(undefined)).resolves.toBe('in-use');
    expect(calls.one).toEqual(['v1', 'v1']);
    expect(calls.many).toEqual([]);
    expect(coalescer.watching).toBe(1);
    await clock.advance(10);
  });

  it('sends at once when every open watch has joined: no one is left to wait for', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'in-use' });
    const [w1, w2] = [coalescer.watch('v1'), coalescer.watch('v2')];
    const reads = Promise.all([w1.read(undefined), w2.read(undefined)]);
    await clock.advance(0);
    await expect(reads).resolves.toEqual(['attaching', 'in-use']);
    expect(calls.many).toEqual([['v1', 'v2']]);
    expect(clock.pending()).toBe(0);
  });

  it('waits the window for a watch that has not read yet, and reads a lone id with a GET', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'in-use' });
    const [w1] = [coalescer.watch('v1'), coalescer.watch('v2')];
    let value: string | undefined;
    const read = w1.read(undefined).then((v) => (value = v));
    await clock.advance(9);
    expect(value).toBeUndefined();
    await clock.advance(1);
    await read;
    expect(value).toBe('attaching');
    expect(calls).toEqual({ many: [], one: ['v1'] });
  });

  it('sends at once when the watch it waited for closes', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'in-use' });
    const [w1, w2] = [coalescer.watch('v1'), coalescer.watch('v2')];
    const read = w1.read(undefined);
    await clock.advance(0);
    w2.close();
    await expect(read).resolves.toBe('attaching');
    expect(calls).toEqual({ many: [], one: ['v1'] });
    expect(clock.pending()).toBe(0);
  });

  it("readOnTick joins the grid's next tick while others share, and reads at once alone", async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'available' });
    const waiter = coalescer.watch('v1');
    const precheck = coalescer.watch('v2');
    await clock.advance(100);
    const read = precheck.readOnTick(undefined);
    await clock.advance(149);
    expect(calls.many).toEqual([]);
    expect(calls.one).toEqual([]);
    const poll = waiter.read(undefined); // the waiter's poll on the 250 ms tick
    await clock.advance(1);
    await expect(Promise.all([poll, read])).resolves.toEqual(['attaching', 'available']);
    expect(calls.many).toEqual([['v1', 'v2']]);
    waiter.close();
    // Alone: no wait for a tick.
    await expect(precheck.readOnTick(undefined)).resolves.toBe('available');
    expect(calls.one).toEqual(['v2']);
    precheck.close();
    expect(clock.pending()).toBe(0);
  });

  it('readOnTick ends on abort while it waits for the tick, leaving no timer', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'available' });
    const watches = [coalescer.watch('v1'), coalescer.watch('v2')];
    const controller = new AbortController();
    const read = (watches[1] as (typeof watches)[number])
      .readOnTick(controller.signal)
      .catch((e: unknown) => e);
    controller.abort();
    expect(isBrokerError(await read, 'aborted')).toBe(true);
    expect(clock.pending()).toBe(0);
    expect(calls.many).toEqual([]);
    for (const w of watches) w.close();
  });

  it('readers of one tick share one timer and one batch, whenever in the tick they came', async () => {
    const { coalescer, calls, clock } = cloud({
      v1: 'attaching',
      v2: 'available',
      v3: 'in-use',
      v4: 'available',
    });
    const waiter = coalescer.watch('v1');
    const readers = ['v2', 'v3', 'v4'].map((id) => coalescer.watch(id));
    const reads: Promise<string>[] = [];
    for (const reader of readers) {
      reads.push(reader.readOnTick(undefined));
      await clock.advance(80); // at 0, 80 and 160: all before the 250 ms tick
    }
    expect(clock.pending()).toBe(1); // one timer for the three
    await clock.advance(10); // the 250 ms tick: the three join one batch
    await clock.advance(10); // its window (the waiter has not joined)
    await expect(Promise.all(reads)).resolves.toEqual(['available', 'in-use', 'available']);
    expect(calls.many).toEqual([['v2', 'v3', 'v4']]);
    expect(calls.one).toEqual([]);
    for (const w of [waiter, ...readers]) w.close();
    expect(clock.pending()).toBe(0);
  });

  it("one reader's abort before the tick leaves the others' tick; the last one's clears its timer", async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'available', v3: 'in-use' });
    const watches = ['v1', 'v2', 'v3'].map((id) => coalescer.watch(id));
    const first = new AbortController();
    const second = new AbortController();
    const aborted = (watches[1] as PollWatchOf).readOnTick(first.signal).catch((e: unknown) => e);
    const kept = (watches[2] as PollWatchOf).readOnTick(second.signal);
    first.abort();
    expect(isBrokerError(await aborted, 'aborted')).toBe(true);
    expect(clock.pending()).toBe(1); // the tick still runs for the other reader
    await clock.advance(250);
    await clock.advance(10);
    await expect(kept).resolves.toBe('in-use');
    expect(calls.one).toEqual(['v3']); // a batch of one id: its own read
    // A new tick, whose only reader aborts: its timer goes with it.
    const last = new AbortController();
    const gone = (watches[1] as PollWatchOf).readOnTick(last.signal).catch((e: unknown) => e);
    expect(clock.pending()).toBe(1);
    last.abort();
    expect(isBrokerError(await gone, 'aborted')).toBe(true);
    expect(clock.pending()).toBe(0);
    for (const w of watches) w.close();
  });

  it('readOnce joins the next tick while waits share, reads alone otherwise, and leaves no watch', async () => {
    const { coalescer, calls, clock } = cloud({ v1: 'attaching', v2: 'available' });
    await expect(coalescer.readOnce('v2', undefined)).resolves.toBe('available');
    expect(calls.one).toEqual(['v2']); // alone: the plain read, at once
    expect(coalescer.watching).toBe(0);
    const waiter = coalescer.watch('v1');
    const read = coalescer.readOnce('v2', undefined);
    expect(coalescer.watching).toBe(2);
    await clock.advance(249);
    const poll = waiter.read(undefined); // the waiter's poll on the 250 ms tick
    await clock.advance(1);
    await expect(Promise.all([poll, read])).resolves.toEqual(['attaching', 'available']);
    expect(calls.many).toEqual([['v1', 'v2']]);
    expect(coalescer.watching).toBe(1);
    waiter.close();
    expect(clock.pending()).toBe(0);
  });

  it('splits a batch larger than maxBatch', async () => {
    const clock = manualClock(0);
    const sizes: number[] = [];
    const coalescer = new PollCoalescer<string>({
      clock,
      maxBatch: 2,
      readMany: async (ids) => {
        sizes.push(ids.length);
        return new Map(ids.map((id) => [id, 'ok']));
      },
      readOne: async () => 'ok',
    });
    const watches = ['a', 'b', 'c'].map((id) => coalescer.watch(id));
    const reads = watches.map((w) => w.read(undefined));
    await clock.advance(10);
    await expect(Promise.all(reads)).resolves.toEqual(['ok', 'ok', 'ok']);
    expect(sizes).toEqual([2, 1]);
  });

  it('is off when the scale config says so', () => {
    const options = { readMany: async () => new Map<string, string>(), readOne: async () => 'x' };
    expect(new PlatformScale(SCALE_OFF).coalescer(options)).toBeUndefined();
    expect(new PlatformScale({ ...SCALE_OFF, coalescePolling: true }).coalescer(options)).toBeInstanceOf(
      PollCoalescer,
    );
  });
});
