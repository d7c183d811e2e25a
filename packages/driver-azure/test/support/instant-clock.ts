import type { Clock } from '@hybrid-broker/core';
import { abortedError } from '@hybrid-broker/core/driver-kit';

/** A clock whose sleeps return at once but are recorded, so waits and Retry-After are checked without time passing. */
export function instantClock(): Clock & { sleeps: number[] } {
  let now = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => 0.5,
    async sleep(ms, signal) {
      if (signal?.aborted) throw abortedError(signal, 'wait');
      sleeps.push(ms);
      now += ms;
      // yield so concurrent work interleaves as with a real timer
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
