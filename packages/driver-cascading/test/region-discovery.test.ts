import type { ServiceCatalog } from '@hybrid-broker/driver-openstack/layers';
import { describe, expect, it } from 'vitest';
import { compileRegionFilter, discoverRegions, parseRegionPattern } from '../src/index.js';

const ep = (region: string, iface: string) => ({
  region,
  region_id: region,
  interface: iface,
  url: `http://${region}`,
});
const catalog: ServiceCatalog = [
  { type: 'identity', endpoints: [ep('a', 'public')] },
  { type: 'compute', endpoints: [ep('a', 'public'), ep('b', 'public'), ep('c', 'internal')] },
  { type: 'volumev2', endpoints: [ep('a', 'public'), ep('b', 'public')] },
  { type: 'block-storage', endpoints: [ep('a', 'public')] },
  { type: 'image', endpoints: [ep('c', 'public')] },
];
const all = () => true;

describe('discoverRegions', () => {
  it('lists each region with its services in canonical order and what it lacks', () => {
    const { regions } = discoverRegions(catalog, { interfaces: ['public'], filter: all });
    expect([...regions.values()]).toEqual([
      {
        name: 'a',
        services: ['compute', 'volume'],
        missing: [],
        serviceTypes: { compute: 'compute', volume: 'block-storage' },
      },
      {
        name: 'b',
        services: ['compute', 'volume'],
        missing: [],
        serviceTypes: { compute: 'compute', volume: 'volumev2' },
      },
      {
        name: 'c',
        services: ['image'],
        missing: ['compute', 'volume'],
        serviceTypes: { image: 'image' },
        otherInterfaces: { compute: ['internal'] },
      },
    ]);
  });

  it('counts only endpoints of the preferred interfaces', () => {
    const publicOnly = discoverRegions(catalog, { interfaces: ['public'], filter: all }).regions.get('c');
    const withInternal = discoverRegions(catalog, {
      interfaces: ['internal', 'public'],
      filter: all,
    }).regions.get('c');
    expect(publicOnly?.services).toEqual(['image']);
    expect(withInternal?.services).toEqual(['compute', 'image']);
  });

  it('lists a region reachable only at another interface, with what it has there', () => {
    // Keystone's catalog as `openstack catalog list` shows a region registered internal-only.
    const internalOnly: ServiceCatalog = [
      { type: 'compute', endpoints: [ep('a', 'public'), ep('hidden', 'internal'), ep('hidden', 'admin')] },
      { type: 'volumev3', endpoints: [ep('a', 'public'), ep('hidden', 'internal')] },
    ];
    const { regions } = discoverRegions(internalOnly, { interfaces: ['public'], filter: all });
    expect(regions.get('hidden')).toEqual({
      name: 'hidden',
      services: [],
      missing: ['compute', 'volume'],
      serviceTypes: {},
      otherInterfaces: { compute: ['admin', 'internal'], volume: ['internal'] },
    });
    expect(regions.get('a')).not.toHaveProperty('otherInterfaces');
  });

  it('drops filtered regions and remembers them, and adds services configured by endpoint override', () => {
    const table = discoverRegions(catalog, {
      interfaces: ['public'],
      filter: compileRegionFilter({ exclude: ['/^b$/'] }),
      overrides: new Map([['c', ['compute', 'volume'] as const]]),
    });
    expect([...table.regions.keys()]).toEqual(['a', 'c']);
    expect([...table.filteredOut]).toEqual(['b']);
    expect(table.regions.get('c')).toMatchObject({ missing: [], serviceTypes: { volume: 'override' } });
  });
});

describe('region filters', () => {
  it('matches exact names and /regex/flags, include then exclude', () => {
    const keep = compileRegionFilter({ include: ['/^DC-/i', 'lab'], exclude: ['dc-3'] });
    expect(['dc-1', 'DC-2', 'dc-3', 'lab', 'lab2', 'xdc-1'].filter(keep)).toEqual(['dc-1', 'DC-2', 'lab']);
  });

  it('a global regex answers the same every time', () => {
    const keep = compileRegionFilter({ include: ['/^a/g'] });
    expect([keep('ab'), keep('ab'), keep('ab')]).toEqual([true, true, true]);
  });

  it('reports an invalid regex', () => {
    expect(parseRegionPattern('/(/').problem).toMatch(/regular expression/);
    expect(parseRegionPattern('plain(').problem).toBeUndefined();
  });
});
