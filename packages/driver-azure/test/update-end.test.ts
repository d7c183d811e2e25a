import type { VirtualMachine } from '@azure/arm-compute';
import type { Clock } from '@hybrid-broker/core';
import type { PollWatch } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import { UpdateEnd } from '../src/update-end.js';
import { instantClock } from './support/instant-clock.js';

/**
 * A watch whose reads answer the given provisioning states in turn (the last one repeats);
 * its tick reads wait for the next 250 ms tick of `clock`, as the coalescer's do.
 */
function watchOf(clock: Clock, states: string[], sharing = true) {
  const reads: string[] = [];
  const next = (): Promise<VirtualMachine> => {
    const state = (states.length > 1 ? states.shift() : states[0]) ?? 'Succeeded';
    reads.push(state);
    return Promise.resolve({ location: 'westeurope', provisioningState: state });
  };
  const watch: PollWatch<VirtualMachine> = {
    read: next,
    readOnTick: async (signal) => {
      await clock.sleep(250 - (clock.now() % 250), signal);
      return next();
    },
    close: () => {},
    tickMs: 250,
    sharing,
  };
  return { watch, reads };
}

describe('UpdateEnd: the end of a VM update from the shared VM list', () => {
  it('ends at the first view after one of the VM Updating, before the interval', async () => {
    const clock = instantClock();
    const { watch, reads } = watchOf(clock, ['Updating', 'Updating', 'Succeeded']);
    const started = clock.now();
    await new UpdateEnd(watch, clock).next(2000, undefined);
    expect(reads).toEqual(['Updating', 'Updating', 'Succeeded']);
    expect(clock.now() - started).toBeLessThan(2000);
  });

  it('a view of the VM as it was ends the first wait, and only after a view of it Updating again', async () => {
    const clock = instantClock();
    const { watch } = watchOf(clock, ['Succeeded']); // a list that lags behind the update
    const end = new UpdateEnd(watch, clock);
    let started = clock.now();
    await end.next(2000, undefined); // believed once: the operation is polled early
    expect(clock.now() - started).toBeLessThan(2000);
    started = clock.now();
    await end.next(2000, undefined); // not again without a view of it Updating: the interval
    expect(clock.now() - started).toBe(2000);
  });

  it('a view of it Updating makes the list believed again', async () => {
    const clock = instantClock();
    const { watch } = watchOf(clock, ['Succeeded', 'Updating', 'Succeeded']);
    const end = new UpdateEnd(watch, clock);
    await end.next(2000, undefined);
    const started = clock.now();
    await end.next(2000, undefined); // Updating, then Succeeded: early again
    expect(clock.now() - started).toBeLessThan(2000);
  });

  it('alone from the start it reads nothing and keeps to the interval', async () => {
    const clock = instantClock();
    const { watch, reads } = watchOf(clock, ['Updating', 'Succeeded'], false);
    const started = clock.now();
    await new UpdateEnd(watch, clock).next(2000, undefined);
    expect(reads).toEqual([]);
    expect(clock.now() - started).toBe(2000);
  });
});
