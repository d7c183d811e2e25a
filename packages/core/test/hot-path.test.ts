// The shortcuts every call takes (request checks without zod, cached wait defaults, retry set up
// only on failure, no event building when nobody listens) must behave exactly as the long way.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WAIT,
  defineDriver,
  resolveWait,
  retryAfterFailure,
  validateRequest,
  wrapDriver,
} from '../src/driver-kit.js';
import {
  type BrokerConfig,
  BrokerError,
  type Clock,
  createBroker,
  MemoryEventSink,
  memoryDriver,
  type PlatformDriver,
} from '../src/index.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).code).toBe('invalid-request');
    return (error as BrokerError).field;
  }
  throw new Error('expected an invalid-request error');
};

describe('request checks', () => {
  it('copy a valid request without the keys it does not know', () => {
    const request = { serverId: 's-1', volumeId: 'v-1', device: '/dev/vdb', readOnly: false, extra: 1 };
    const valid = validateRequest.attachVolume(request);
    expect(valid).toEqual({ serverId: 's-1', volumeId: 'v-1', device: '/dev/vdb', readOnly: false });
    expect(valid).not.toBe(request);
    expect(validateRequest.detachVolume({ serverId: 's', volumeId: 'v', device: 'x' })).toEqual({
      serverId: 's',
      volumeId: 'v',
    });
    expect(validateRequest.serverRef({ serverId: 'a'.repeat(1024), other: true })).toEqual({
      serverId: 'a'.repeat(1024),
    });
    expect(validateRequest.volumeRef({ volumeId: 'v' })).toEqual({ volumeId: 'v' });
  });

  it('name the field of every invalid one, as zod words it', () => {
    expect(fieldOf(() => validateRequest.attachVolume({ serverId: '..', volumeId: 'v' }))).toBe('serverId');
    expect(fieldOf(() => validateRequest.attachVolume({ serverId: 's', volumeId: '' }))).toBe('volumeId');
    expect(fieldOf(() => validateRequest.attachVolume({ serverId: 's', volumeId: 'v', device: '' }))).toBe(
      'device',
    );
    expect(
      fieldOf(() => validateRequest.attachVolume({ serverId: 's', volumeId: 'v', device: 'd'.repeat(65) })),
    ).toBe('device');
    expect(
      fieldOf(() => validateRequest.attachVolume({ serverId: 's', volumeId: 'v', readOnly: 'yes' })),
    ).toBe('readOnly');
    expect(fieldOf(() => validateRequest.detachVolume({ serverId: 's\n', volumeId: 'v' }))).toBe('serverId');
    expect(fieldOf(() => validateRequest.serverRef({ serverId: 'a'.repeat(1025) }))).toBe('serverId');
    expect(fieldOf(() => validateRequest.volumeRef({ volumeId: 7 }))).toBe('volumeId');
    // Half a surrogate pair cannot be percent-encoded into a URL; a whole pair is fine.
    expect(fieldOf(() => validateRequest.serverRef({ serverId: 'vm-\uD800' }))).toBe('serverId');
    expect(fieldOf(() => validateRequest.detachVolume({ serverId: 's', volumeId: '\uDC00x' }))).toBe(
      'volumeId',
    );
    expect(validateRequest.volumeRef({ volumeId: 'vol-\uD83D\uDE00' })).toEqual({
      volumeId: 'vol-\uD83D\uDE00',
    });
    expect(() => validateRequest.serverRef(null)).toThrow(/invalid server reference/);
    expect(() => validateRequest.volumeRef(['v'])).toThrow(/invalid volume reference/);
  });
});

describe('resolveWait', () => {
  it('merges one platform defaults once, frozen, and lays a call’s own fields over them', () => {
    const defaults = { timeoutMs: 5_000, jitter: undefined };
    const first = resolveWait(undefined, defaults);
    expect(first).toEqual({ ...DEFAULT_WAIT, timeoutMs: 5_000 });
    expect(resolveWait(undefined, defaults)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const call = resolveWait({ initialDelayMs: 1, maxDelayMs: undefined }, defaults);
    expect(call).toEqual({ ...DEFAULT_WAIT, timeoutMs: 5_000, initialDelayMs: 1 });
    expect(resolveWait(false, defaults)).toBe(false);
    expect(first).toEqual({ ...DEFAULT_WAIT, timeoutMs: 5_000 });
  });

  it('names a bad field of the call or of the defaults', () => {
    expect(fieldOf(() => resolveWait({ timeoutMs: -1 }))).toBe('wait.timeoutMs');
    expect(fieldOf(() => resolveWait({ jitter: Number.NaN }))).toBe('wait.jitter');
    expect(fieldOf(() => resolveWait(undefined, { multiplier: Number.POSITIVE_INFINITY }))).toBe(
      'wait.multiplier',
    );
  });
});

describe('retryAfterFailure', () => {
  const clock = (): Clock & { slept: number[] } => {
    const slept: number[] = [];
    return { slept, now: () => 0, random: () => 0.5, sleep: async (ms) => void slept.push(ms) };
  };

  it('goes on from a first attempt that failed with a retryable error', async () => {
    const c = clock();
    const attempts: number[] = [];
    const first = new BrokerError('throttled', 'slow down', { retryAfterMs: 700 });
    const result = await retryAfterFailure(
      { operation: 'get', idempotent: true, clock: c },
      async (attempt) => {
        attempts.push(attempt);
        return 'ok';
      },
      first,
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([2]);
    expect(c.slept).toEqual([700]);
  });

  it('rethrows the first error itself when it is not worth a repeat', async () => {
    const first = new BrokerError('not-found', 'gone');
    let called = false;
    await expect(
      retryAfterFailure(
        { operation: 'get', idempotent: true, clock: clock() },
        async () => {
          called = true;
        },
        first,
      ),
    ).rejects.toBe(first);
    expect(called).toBe(false);
  });
});

describe('events only when somebody listens', () => {
  const probe = () => {
    const seen: (boolean | undefined)[] = [];
    const definition = defineDriver({
      kind: 'probe',
      configSchema: memoryDriver.configSchema,
      create: (config, context) => {
        seen.push(context.listening);
        return memoryDriver.create(config, context);
      },
    });
    return { seen, definition };
  };

  const probeConfig = { platforms: { a: { driver: 'probe' } } } as unknown as BrokerConfig;

  it('tells drivers whether events are taken', async () => {
    const quiet = probe();
    await createBroker(probeConfig, { drivers: [quiet.definition] })
      .platform('a')
      .getVolume({ volumeId: 'missing' })
      .catch(() => undefined);
    const events = new MemoryEventSink();
    const loud = probe();
    await createBroker(probeConfig, { drivers: [loud.definition], services: { events } })
      .platform('a')
      .getVolume({ volumeId: 'missing' })
      .catch(() => undefined);
    expect(quiet.seen).toEqual([false]);
    expect(loud.seen).toEqual([true]);
    expect(events.ofType('operation').map((e) => e.phase)).toEqual(['start', 'error']);
  });

  it('without events, a wrapped call still turns every failure into a rejected BrokerError', async () => {
    const stub = {
      kind: 'odd',
      capabilities: {},
      getServer: () => {
        throw new Error('thrown before any promise');
      },
      getVolume: () => ({ id: 'v' }),
    } as unknown as PlatformDriver;
    const driver = wrapDriver(stub, { platform: 'p', now: () => 0, secrets: ['hunter22'] });
    const thrown = driver.getServer({ serverId: 's' });
    expect(thrown).toBeInstanceOf(Promise);
    await expect(thrown).rejects.toMatchObject({
      code: 'provider-error',
      platform: 'p',
      operation: 'getServer',
    });
    await expect(driver.getVolume({ volumeId: 'v' })).resolves.toEqual({ id: 'v' });
    await expect(driver.getServer({ serverId: '' })).rejects.toMatchObject({ field: 'serverId' });
    const aborted = AbortSignal.abort();
    await expect(driver.getVolume({ volumeId: 'v' }, { signal: aborted })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});
