import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { searchRegions } from '../src/index.js';

const notFound = () => new BrokerError('not-found', 'nope');
const regions = Array.from({ length: 30 }, (_, i) => `r${i}`);

describe('searchRegions', () => {
  it('returns the one region that knows the id, asking at most `concurrency` at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const hit = await searchRegions({
      kind: 'volume',
      id: 'v',
      field: 'volumeId',
      regions,
      concurrency: 4,
      probe: async (region) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        if (region !== 'r17') throw notFound();
        return region.toUpperCase();
      },
    });
    expect(hit).toEqual({ region: 'r17', value: 'R17' });
    expect(peak).toBe(4);
  });

  it('is undefined when every region says not-found', async () => {
    const probe = async (): Promise<never> => {
      throw notFound();
    };
    expect(
      await searchRegions({ kind: 'server', id: 's', field: 'serverId', regions, probe }),
    ).toBeUndefined();
  });

  it('refuses an id two regions know, as invalid-request', async () => {
    const error = await searchRegions({
      kind: 'server',
      id: 's',
      field: 'serverId',
      regions,
      probe: async (region) => {
        if (region === 'r1' || region === 'r2') return region;
        throw notFound();
      },
    }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request') && error.message).toContain('r1, r2');
  });

  it('fails with a region failure when no region found the id, since it may be there', async () => {
    const error = await searchRegions({
      kind: 'server',
      id: 's',
      field: 'serverId',
      regions,
      probe: async (region) => {
        if (region === 'r5') throw new BrokerError('unavailable', 'r5 is down');
        throw notFound();
      },
    }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
  });
});
