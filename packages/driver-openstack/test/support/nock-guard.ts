import nock from 'nock';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** No test of this file reaches the network; each starts with no interceptors left from the last. */
export function guardNetwork(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  beforeEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}

/** A clock whose sleeps return at once but are recorded (Retry-After and backoff become visible). */
export function recordingClock() {
  const slept: number[] = [];
  return {
    slept,
    clock: {
      now: () => Date.now(),
      random: () => 0.5,
      sleep: async (ms: number, signal?: AbortSignal) => {
        slept.push(ms);
        if (signal?.aborted) throw signal.reason;
        await new Promise((resolve) => setImmediate(resolve));
      },
    },
  };
}
