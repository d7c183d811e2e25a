import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver, resolveScale, SCALE_OFF } from '../src/driver-kit.js';
import {
  type BrokerConfig,
  createBroker,
  type DriverContext,
  isBrokerError,
  MemoryDriver,
  type ScaleOptions,
} from '../src/index.js';

function errorOf(config: unknown): { field?: string; message: string } {
  try {
    createBroker(config as BrokerConfig);
  } catch (error) {
    if (isBrokerError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('scale config validation', () => {
  it.each([
    [{ coalescePolling: 'yes' }, 'platforms.lab.scale.coalescePolling', /expected true or false/],
    [{ singleFlightReads: 1 }, 'platforms.lab.scale.singleFlightReads', /expected true or false/],
    [{ adaptivePolling: null }, 'platforms.lab.scale.adaptivePolling', /expected true or false/],
    [{ requestBudget: true }, 'platforms.lab.scale.requestBudget', /expected false or \{ requestsPerSecond/],
    [
      { requestBudget: {} },
      'platforms.lab.scale.requestBudget.requestsPerSecond',
      /positive number of requests per second/,
    ],
    [
      { requestBudget: { requestsPerSecond: -1 } },
      'platforms.lab.scale.requestBudget.requestsPerSecond',
      /positive number of requests per second/,
    ],
    [
      { requestBudget: { requestsPerSecond: 10, burst: 0.5 } },
      'platforms.lab.scale.requestBudget.burst',
      /whole number of requests of at least 1/,
    ],
    [{ attachBatchWindowMs: -1 }, 'platforms.lab.scale.attachBatchWindowMs', /from 0 to 10000/],
    [{ attachBatchWindowMs: 60_000 }, 'platforms.lab.scale.attachBatchWindowMs', /from 0 to 10000/],
    [{ coalesce: true }, 'platforms.lab.scale.coalesce', /unknown key/],
  ])('names the field of a bad scale option %j', (scale, field, message) => {
    const error = errorOf({ platforms: { lab: { driver: 'memory', scale } } });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('checks the broker defaults too', () => {
    const error = errorOf({
      platforms: { lab: { driver: 'memory' } },
      defaults: { scale: { requestBudget: { requestsPerSecond: 0 } } },
    });
    expect(error.field).toBe('defaults.scale.requestBudget.requestsPerSecond');
  });
});

describe('DriverContext.scale', () => {
  const contextOf = async (config: unknown, defaultRequestBudget?: { requestsPerSecond: number }) => {
    let seen: DriverContext | undefined;
    const probe = defineDriver({
      kind: 'probe',
      configSchema: z.strictObject({}),
      ...(defaultRequestBudget ? { defaultRequestBudget } : {}),
      create(_config, context) {
        seen = context;
        return new MemoryDriver({
          availabilityZones: ['a'],
          images: ['i'],
          flavors: ['f'],
          delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
        });
      },
    });
    const broker = createBroker(config as BrokerConfig, { drivers: [probe] });
    await broker.platform('p').listServers();
    await broker.close();
    return seen?.scale;
  };

  it('fills every field, the budget from the driver, burst one second of it', async () => {
    expect(await contextOf({ platforms: { p: { driver: 'probe' } } }, { requestsPerSecond: 20 })).toEqual({
      coalescePolling: true,
      singleFlightReads: true,
      adaptivePolling: true,
      requestBudget: { requestsPerSecond: 20, burst: 20 },
      attachBatchWindowMs: 50,
    });
  });

  it('has no budget when the driver documents none', async () => {
    expect((await contextOf({ platforms: { p: { driver: 'probe' } } }))?.requestBudget).toBe(false);
  });

  it('merges the platform over the broker defaults, field by field', async () => {
    const scale = await contextOf(
      {
        platforms: { p: { driver: 'probe', scale: { requestBudget: { requestsPerSecond: 5, burst: 7 } } } },
        defaults: { scale: { coalescePolling: false, requestBudget: false } },
      },
      { requestsPerSecond: 20 },
    );
    expect(scale?.coalescePolling).toBe(false);
    expect(scale?.singleFlightReads).toBe(true);
    expect(scale?.requestBudget).toEqual({ requestsPerSecond: 5, burst: 7 });
  });

  it('turns everything off as the baseline block says', async () => {
    const off: ScaleOptions = {
      coalescePolling: false,
      singleFlightReads: false,
      adaptivePolling: false,
      requestBudget: false,
      attachBatchWindowMs: 0,
    };
    expect(
      await contextOf({ platforms: { p: { driver: 'probe', scale: off } } }, { requestsPerSecond: 20 }),
    ).toEqual(SCALE_OFF);
    expect(resolveScale(undefined, off, { requestsPerSecond: 20 })).toEqual(SCALE_OFF);
  });
});
