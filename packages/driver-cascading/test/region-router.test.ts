import { isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { type CascadedRegion, RegionRouter, type RegionTable } from '../src/index.js';

const region = (name: string, services = ['compute', 'volume']): CascadedRegion => ({
  name,
  services,
  missing: [],
  serviceTypes: {},
});
const table = (...regions: CascadedRegion[]): RegionTable => ({
  regions: new Map(regions.map((r) => [r.name, r])),
  filteredOut: new Set(['hidden']),
});
const base = { name: 's', image: 'i', flavor: 'f' };

describe('RegionRouter', () => {
  const router = new RegionRouter({
    availabilityZoneRegions: { 'zone-x': 'b', shared: 'a' },
    regionSettings: { b: { availabilityZones: ['b-1', 'shared'] } },
  });
  const t = table(region('a'), region('b'), region('c'));

  it('takes an explicit region first', () => {
    expect(router.route({ ...base, region: 'c', availabilityZone: 'zone-x' }, t)).toEqual({
      region: 'c',
      field: 'region',
    });
  });

  it('maps a zone through the map, then region zone lists, then region = AZ', () => {
    const of = (availabilityZone: string) => router.route({ ...base, availabilityZone }, t).region;
    expect([of('zone-x'), of('b-1'), of('shared'), of('c'), of('hidden')]).toEqual([
      'b',
      'b',
      'a',
      'c',
      'hidden',
    ]);
  });

  it('uses the only compute region when the request names none, and refuses to guess among several', () => {
    expect(router.route(base, table(region('a'), region('v', ['volume']))).region).toBe('a');
    let error: unknown;
    try {
      router.route(base, t);
    } catch (e) {
      error = e;
    }
    expect(isBrokerError(error, 'invalid-request') && error.field).toBe('region');
  });

  it('an unmapped zone is invalid-request naming availabilityZone', () => {
    let error: unknown;
    try {
      router.route({ ...base, availabilityZone: 'nowhere' }, t);
    } catch (e) {
      error = e;
    }
    expect(isBrokerError(error, 'invalid-request') && error.field).toBe('availabilityZone');
  });
});
