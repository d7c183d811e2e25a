import { abortedError } from '../../src/driver-kit.js';
import type { Clock } from '../../src/index.js';

/** A clock that moves only when a test calls `advance`: sleeps resolve in time order. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, resolving each sleep due on the way, and lets promises settle. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet due. */
  pending(): number;
}

interface Sleeper {
  readonly at: number;
  readonly resolve: () => void;
}

/** Lets every queued promise callback run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** A manual clock starting at `start`, with a fixed `random` (no jitter surprises). */
export function manualClock(start = 1_000_000, random = 0.5): ManualClock {
  let now = start;
  let sleepers: Sleeper[] = [];
  return {
    now: () => now,
    random: () => random,
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(abortedError(signal, 'wait'));
        const sleeper: Sleeper = {
          at: now + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(abortedError(signal, 'wait'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    async advance(ms) {
      const end = now + ms;
      await flush();
      for (;;) {
        const due = sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = Math.max(now, due.at);
        sleepers = sleepers.filter((s) => s !== due);
        due.resolve();
        await flush();
      }
      now = end;
      await flush();
    },
    pending: () => sleepers.length,
  };
}
