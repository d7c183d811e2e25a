import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WAIT,
  PlatformScale,
  PollCoalescer,
  pollCapAfter,
  SCALE_OFF,
  TransitionTimes,
  verdict,
  waitFor,
} from '../src/driver-kit.js';
import type { BrokerEventInput } from '../src/index.js';
import { type ManualClock, manualClock } from './support/manual-clock.js';

const options = { ...DEFAULT_WAIT, timeoutMs: 60_000, jitter: 0 };

/** A resource that turns `ready` at `readyAt` (clock time); records when it was probed. */
function resource(clock: ManualClock, readyAt: number) {
  const probes: number[] = [];
  return {
    probes,
    probe: async () => {
      probes.push(clock.now());
      return clock.now() >= readyAt ? 'ready' : 'attaching';
    },
  };
}

const check = (s: string) => (s === 'ready' ? verdict.done : verdict.pending);

describe('adaptive first poll', () => {
  it('learns the median duration and polls first near it, then often', async () => {
    const clock = manualClock(0);
    const times = new TransitionTimes();
    for (const ms of [2_000, 2_400, 9_000]) times.record('attach', ms);
    expect(times.expectedMs('attach')).toBe(2_400);
    const { probes, probe } = resource(clock, 2_700);
    const done = waitFor({
      description: 'volume v1 to be in-use',
      probe,
      check,
      stateOf: (s) => s,
      options,
      clock,
      pacing: { expectedMs: times.expectedMs('attach'), record: (ms) => times.record('attach', ms) },
    });
    await clock.advance(10_000);
    await expect(done).resolves.toBe('ready');
    // At once (the first value), at the expected 2.4 s, then every 250 ms or more, capped near it.
    expect(probes).toEqual([0, 2_400, 2_650, 3_025]);
    expect(pollCapAfter(2_400)).toBe(600);
    // The observed duration is halfway between the last pending poll and the done one.
    times.record('other', 0);
    expect(times.expectedMs('attach')).toBe((2_400 + 2_837.5) / 2);
  });

  it('learns a shorter time again when the learned first poll finds the change done', async () => {
    // A slow spell taught 20 s; attaches take 2 s again. Each wait right after its own request
    // that finds the change done at its first poll teaches half that poll, so the first poll
    // comes down to near the real time instead of staying at 20 s for good.
    const clock = manualClock(0);
    const times = new TransitionTimes();
    for (let i = 0; i < 25; i++) times.record('attach', 20_000);
    const firstPolls: number[] = [];
    for (let i = 0; i < 60; i++) {
      const start = clock.now();
      const { probes, probe } = resource(clock, start + 2_000);
      const done = waitFor({
        description: 'v1',
        probe,
        check,
        stateOf: (s) => s,
        options,
        clock,
        probeFirst: false,
        pacing: { expectedMs: times.expectedMs('attach'), record: (ms) => times.record('attach', ms) },
      });
      await clock.advance(30_000);
      await done;
      firstPolls.push((probes[0] as number) - start);
    }
    expect(firstPolls[0]).toBe(20_000);
    expect(firstPolls.at(-1)).toBeLessThanOrEqual(2_500);
    expect(times.expectedMs('attach')).toBeGreaterThanOrEqual(1_000);
    expect(times.expectedMs('attach')).toBeLessThanOrEqual(2_500);
  });

  it('is bounded by the deadline', async () => {
    const clock = manualClock(0);
    const { probes, probe } = resource(clock, Number.POSITIVE_INFINITY);
    const done = waitFor({
      description: 'v1',
      probe,
      check,
      stateOf: (s) => s,
      options: { ...options, timeoutMs: 1_000 },
      clock,
      pacing: { expectedMs: 30_000 },
    }).catch((e: unknown) => e);
    await clock.advance(2_000);
    await expect(done).resolves.toMatchObject({ code: 'timeout', lastState: 'attaching' });
    expect(probes).toEqual([0, 1_000]);
  });

  it('reads once in time when the learned first poll lies past the deadline and nothing was read yet', async () => {
    // The real Zed stack's stuck-transition case: a wait right after our own request skips the
    // read-back, learned 30 s, and has 1 s. Sleeping to the deadline left the read no time
    // before the call's deadline, so the timeout carried no lastState.
    const clock = manualClock(0);
    const { probes, probe } = resource(clock, Number.POSITIVE_INFINITY);
    const done = waitFor({
      description: 'v1',
      probe,
      check,
      stateOf: (s) => s,
      options: { ...options, timeoutMs: 1_000 },
      clock,
      probeFirst: false,
      pacing: { expectedMs: 30_000 },
    }).catch((e: unknown) => e);
    await clock.advance(2_000);
    await expect(done).resolves.toMatchObject({ code: 'timeout', lastState: 'attaching' });
    expect(probes[0]).toBe(500);
  });

  it('keeps the events and lastState of a plain wait', async () => {
    const clock = manualClock(0);
    const events: BrokerEventInput[] = [];
    const { probe } = resource(clock, 1_000);
    const done = waitFor({
      description: 'v1',
      probe,
      check,
      stateOf: (s) => s,
      options,
      clock,
      emit: (e) => events.push(e),
      resource: { kind: 'volume', id: 'v1' },
      pacing: { expectedMs: 1_000, tickMs: 250 },
    });
    await clock.advance(5_000);
    await done;
    expect(events.map((e) => e.type)).toEqual(['poll', 'state-change', 'poll', 'state-change']);
  });

  it('puts coalesced polls on one grid, so concurrent waits share one batch read', async () => {
    const clock = manualClock(0);
    const batches: string[][] = [];
    const state = () => (clock.now() >= 3_000 ? 'ready' : 'attaching');
    const coalescer = new PollCoalescer<string>({
      clock,
      windowMs: 10,
      readMany: async (ids) => {
        batches.push([...ids]);
        return new Map(ids.map((id) => [id, state()]));
      },
      readOne: async () => state(),
    });
    const scale = new PlatformScale({ ...SCALE_OFF, coalescePolling: true }, { clock });
    const waits = ['v1', 'v2', 'v3'].map(async (id, i) => {
      await clock.sleep(i * 37); // started at different moments
      const watch = coalescer.watch(id);
      try {
        return await waitFor({
          description: id,
          probe: (signal) => watch.read(signal),
          check,
          stateOf: (s) => s,
          options: { ...options, jitter: 0.2 },
          clock,
          pacing: scale.pacing('attach', watch),
        });
      } finally {
        watch.close();
      }
    });
    await clock.advance(20_000);
    await expect(Promise.all(waits)).resolves.toEqual(['ready', 'ready', 'ready']);
    // The first reads come as each wait starts, alone in their batch: a GET each, not a list.
    // From then on every batch reads all three at once.
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.every((b) => b.length === 3)).toBe(true);
    expect(coalescer.watching).toBe(0);
  });

  it('a wait that shares its reads from the start polls every tick, not first at the learned time', async () => {
    const clock = manualClock(0);
    const batches: number[] = [];
    const state = () => (clock.now() >= 700 ? 'ready' : 'attaching');
    const coalescer = new PollCoalescer<string>({
      clock,
      readMany: async (ids) => {
        batches.push(clock.now());
        return new Map(ids.map((id) => [id, state()]));
      },
      readOne: async () => state(),
    });
    const scale = new PlatformScale(
      { ...SCALE_OFF, coalescePolling: true, adaptivePolling: true },
      { clock },
    );
    for (let i = 0; i < 5; i++) scale.transitions?.record('attach', 3_000); // learned: 3 s
    const watches = ['v1', 'v2'].map((id) => coalescer.watch(id));
    const returned: number[] = [];
    const waits = watches.map((watch) =>
      waitFor({
        description: 'shared',
        probe: (signal) => watch.read(signal),
        check,
        stateOf: (s) => s,
        options,
        clock,
        probeFirst: false,
        pacing: scale.pacing('attach', watch),
      }).then(() => returned.push(clock.now())),
    );
    await clock.advance(5_000);
    await Promise.all(waits);
    for (const w of watches) w.close();
    // Ready at 700 ms: noticed on the next tick (750), not at the learned 3 s.
    expect(returned).toEqual([750, 750]);
    expect(batches.every((at) => at % 250 === 0)).toBe(true);
    // A wait alone keeps its learned first poll.
    expect(scale.pacing('attach')?.expectedMs).toBeGreaterThan(2_000);
  });

  it('is off when the scale config says so: the wait paces as it always did', async () => {
    const scale = new PlatformScale(SCALE_OFF);
    expect(scale.transitions).toBeUndefined();
    expect(scale.pacing('attach')).toBeUndefined();
    const clock = manualClock(0);
    const { probes, probe } = resource(clock, 1_000);
    const done = waitFor({
      description: 'v1',
      probe,
      check,
      stateOf: (s) => s,
      options,
      clock,
      pacing: scale.pacing('attach'),
    });
    await clock.advance(5_000);
    await done;
    expect(probes).toEqual([0, 250, 625, 1_187.5]);
  });
});
