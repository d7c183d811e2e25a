import { type BrokerError, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { catalogRegions, findEndpoint, type ServiceCatalog } from '../src/keystone/catalog.js';

const ep = (region: string, iface: string, url: string) => ({
  region,
  region_id: region,
  interface: iface,
  url,
});
const catalog: ServiceCatalog = [
  {
    type: 'compute',
    endpoints: [
      ep('east', 'public', 'https://nova.east/v2.1'),
      ep('east', 'internal', 'http://10.0.0.1:8774/v2.1'),
      ep('west', 'public', 'https://nova.west/v2.1'),
    ],
  },
  { type: 'volumev2', endpoints: [ep('east', 'public', 'https://cinder.east/v2/%(tenant_id)s')] },
  {
    type: 'volumev3',
    endpoints: [
      ep('east', 'public', 'https://cinder.east/v3/$(project_id)s'),
      ep('west', 'admin', 'https://cinder.west/v3/p'),
    ],
  },
  { type: 'image', endpoints: [ep('east', 'public', 'https://glance.east')] },
];

describe('catalog lookup', () => {
  it('prefers the aliases in order (volumev3 over volumev2) and substitutes the project id', () => {
    expect(
      findEndpoint(catalog, { service: 'volume', region: 'east', interfaces: ['public'], projectId: 'p1' }),
    ).toBe('https://cinder.east/v3/p1');
    const v2only = catalog.filter((s) => s.type !== 'volumev3');
    expect(
      findEndpoint(v2only, { service: 'volume', region: 'east', interfaces: ['public'], projectId: 'p1' }),
    ).toBe('https://cinder.east/v2/p1');
    const withBlockStorage: ServiceCatalog = [
      { type: 'block-storage', endpoints: [ep('east', 'public', 'https://bs.east/v3')] },
      ...catalog,
    ];
    expect(
      findEndpoint(withBlockStorage, { service: 'volume', region: 'east', interfaces: ['public'] }),
    ).toBe('https://bs.east/v3');
  });

  it('follows the interface preference and the region', () => {
    expect(
      findEndpoint(catalog, { service: 'compute', region: 'east', interfaces: ['internal', 'public'] }),
    ).toBe('http://10.0.0.1:8774/v2.1');
    expect(
      findEndpoint(catalog, { service: 'compute', region: 'west', interfaces: ['internal', 'public'] }),
    ).toBe('https://nova.west/v2.1');
  });

  it('a failed lookup is invalid-request listing what the catalog offers', () => {
    let error: unknown;
    try {
      findEndpoint(catalog, { service: 'volume', region: 'west', interfaces: ['public'] });
    } catch (e) {
      error = e;
    }
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    const message = (error as BrokerError).message;
    expect(message).toMatch(/no volume endpoint \(catalog types block-storage, volumev3, volumev2/);
    expect(message).toMatch(/in region west with interface public/);
    expect(message).toMatch(/volumev3 \(east: public; west: admin\)/);
    expect((error as BrokerError).field).toBe('region');
  });

  it('without a region, several matching regions are an error asking for one', () => {
    expect(() => findEndpoint(catalog, { service: 'compute', interfaces: ['public'] })).toThrow(
      /several regions \(east, west\); set region/,
    );
  });

  it('lists each region with the services it offers', () => {
    const regions = catalogRegions(catalog);
    expect([...(regions.get('east') ?? [])].sort()).toEqual(['compute', 'image', 'volume']);
    expect([...(regions.get('west') ?? [])].sort()).toEqual(['compute', 'volume']);
  });
});
