import { describe, expect, it } from 'vitest';
import { PlatformScale, SCALE_OFF, SingleFlight, startCallDeadline, timeLeft } from '../src/driver-kit.js';
import { BrokerError, isBrokerError } from '../src/index.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one read among concurrent callers of one key, and starts a fresh one after it settles', async () => {
    const flights = new SingleFlight<string>();
    const reply = deferred<string>();
    let reads = 0;
    const read = () => {
      reads++;
      return reply.promise;
    };
    const both = Promise.all([
      flights.run('volume:v1', undefined, read),
      flights.run('volume:v1', undefined, read),
    ]);
    const other = flights.run('volume:v2', undefined, async () => 'v2');
    reply.resolve('in-use');
    await expect(both).resolves.toEqual(['in-use', 'in-use']);
    await expect(other).resolves.toBe('v2');
    expect(reads).toBe(1);
    await flights.run('volume:v1', undefined, async () => 'again');
    expect(flights.size).toBe(0);
  });

  it('gives every caller the shared error', async () => {
    const flights = new SingleFlight<string>();
    const reply = deferred<string>();
    const a = flights.run('k', undefined, () => reply.promise);
    const b = flights.run('k', undefined, () => reply.promise);
    reply.reject(new BrokerError('not-found', 'volume v1 not found'));
    for (const result of await Promise.allSettled([a, b])) {
      expect(result.status).toBe('rejected');
      expect(isBrokerError((result as PromiseRejectedResult).reason, 'not-found')).toBe(true);
    }
  });

  it('ends only the caller that aborts; the shared read is aborted when every caller has gone', async () => {
    const flights = new SingleFlight<string>();
    const reply = deferred<string>();
    let shared: AbortSignal | undefined;
    const read = (signal: AbortSignal) => {
      shared = signal;
      return reply.promise;
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = flights.run('k', first.signal, read);
    const b = flights.run('k', second.signal, read);
    first.abort();
    await expect(a).rejects.toMatchObject({ code: 'aborted' });
    expect(shared?.aborted).toBe(false);
    second.abort(new BrokerError('timeout', 'deadline passed'));
    // Each caller's own deadline ends its wait with its own reason.
    await expect(b).rejects.toMatchObject({ code: 'timeout' });
    expect(shared?.aborted).toBe(true);
    expect(flights.size).toBe(0);
    reply.resolve('late');
  });

  it('runs the shared read until the latest deadline of its callers; a caller without one reads alone', async () => {
    const flights = new SingleFlight<string>();
    const soon = startCallDeadline(undefined, 1_000, 'getVolume');
    const later = startCallDeadline(undefined, 60_000, 'getVolume');
    const signals: AbortSignal[] = [];
    const reply = deferred<string>();
    const read = (signal: AbortSignal) => {
      signals.push(signal);
      return reply.promise;
    };
    const a = flights.run('k', soon.signal, read);
    expect(timeLeft(signals[0])).toBeLessThanOrEqual(1_000);
    const b = flights.run('k', later.signal, read); // joins, and extends the shared deadline
    expect(timeLeft(signals[0])).toBeGreaterThan(50_000);
    const c = flights.run('k', undefined, read); // no deadline: must not share one that ends
    expect(signals).toHaveLength(2);
    expect(timeLeft(signals[1])).toBe(Number.POSITIVE_INFINITY);
    reply.resolve('in-use');
    await expect(Promise.all([a, b, c])).resolves.toEqual(['in-use', 'in-use', 'in-use']);
    soon.done();
    later.done();
  });

  it('is off when the scale config says so', () => {
    expect(new PlatformScale(SCALE_OFF).singleFlight()).toBeUndefined();
    expect(new PlatformScale({ ...SCALE_OFF, singleFlightReads: true }).singleFlight()).toBeInstanceOf(
      SingleFlight,
    );
  });
});
