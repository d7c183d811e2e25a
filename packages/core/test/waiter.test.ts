import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT, verdict, type WaitSpec, waitFor } from '../src/driver-kit.js';
import { isBrokerError } from '../src/index.js';

const fast = { ...DEFAULT_WAIT, timeoutMs: 2_000, initialDelayMs: 5, maxDelayMs: 20, jitter: 0 };

function spec(
  states: string[],
  overrides: Partial<WaitSpec<string>> = {},
): WaitSpec<string> & { probes: () => number } {
  let i = 0;
  return {
    description: 'thing to be ready',
    probe: async () => states[Math.min(i++, states.length - 1)] as string,
    check: (s) =>
      s === 'ready' ? verdict.done : s.includes('error') ? verdict.failed(`went to ${s}`) : verdict.pending,
    stateOf: (s) => s,
    options: fast,
    probes: () => i,
    ...overrides,
  };
}

describe('waitFor', () => {
  it('polls until the check says done and returns the value', async () => {
    const s = spec(['building', 'building', 'ready']);
    await expect(waitFor(s)).resolves.toBe('ready');
    expect(s.probes()).toBe(3);
  });

  it('ends at once on an error status, with the last state, without waiting for the deadline', async () => {
    const s = spec(['attaching', 'error_attaching', 'ready'], { options: { ...fast, timeoutMs: 60_000 } });
    const started = Date.now();
    const error = await waitFor(s).catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect((error as { lastState: unknown }).lastState).toBe('error_attaching');
    expect(s.probes()).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends at once when the signal aborts mid-wait, and leaves no timer behind', async () => {
    const controller = new AbortController();
    const s = spec(['attaching'], {
      options: { ...fast, timeoutMs: 60_000, initialDelayMs: 10_000, maxDelayMs: 10_000 },
      signal: controller.signal,
    });
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    const error = await waitFor(s).catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout');
    expect(timers.length).toBeLessThanOrEqual(1);
  });

  it('rejects at once when the signal is already aborted, without probing', async () => {
    const s = spec(['ready'], { signal: AbortSignal.abort() });
    await expect(waitFor(s)).rejects.toMatchObject({ code: 'aborted' });
    expect(s.probes()).toBe(0);
  });

  it('ends with timeout at the deadline, naming the wait and carrying the last state', async () => {
    const s = spec(['detaching'], { options: { ...fast, timeoutMs: 60 } });
    const error = await waitFor(s).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', lastState: 'detaching', retryable: true });
    expect((error as Error).message).toContain('thing to be ready');
  });

  it('backs off exponentially up to the maximum delay, with jitter inside its band', async () => {
    const sleeps: number[] = [];
    let now = 0;
    const s = spec(['a', 'a', 'a', 'a', 'a', 'ready'], {
      clock: {
        now: () => now,
        random: () => 1,
        sleep: async (ms: number) => {
          sleeps.push(ms);
          now += ms;
        },
      },
      options: { timeoutMs: 100_000, initialDelayMs: 100, maxDelayMs: 300, multiplier: 2, jitter: 0.5 },
    });
    await waitFor(s);
    // random() = 1 gives the top of the jitter band: delay * 1.5
    expect(sleeps).toEqual([150, 300, 450, 450, 450]);
  });
});

describe('waitFor events', () => {
  it('emits a poll per probe and a state-change each time the state differs', async () => {
    const events: { type: string; from?: string; to?: string }[] = [];
    const s = spec(['attaching', 'attaching', 'ready'], {
      resource: { kind: 'volume', id: 'v1' },
      emit: (e) => events.push(e as { type: string }),
    });
    await waitFor(s);
    expect(events.filter((e) => e.type === 'poll')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'state-change')).toEqual([
      { type: 'state-change', resource: 'volume', id: 'v1', to: 'attaching' },
      { type: 'state-change', resource: 'volume', id: 'v1', from: 'attaching', to: 'ready' },
    ]);
  });
});
