import { isBrokerError, Secret } from '@hybrid-broker/core';
import type { KeystoneToken, OpenStackDriver, ServiceCatalog } from '@hybrid-broker/driver-openstack/layers';
import { describe, expect, it } from 'vitest';
import { RegionDirectory } from '../src/index.js';

const ep = (region: string, iface: string, type: string) => ({
  id: `${region}-${type}-${iface}`,
  region,
  region_id: region,
  interface: iface,
  url: `http://10.0.0.1/${type}/${region}/${iface}`,
});

// A cascading Keystone's catalog: region "inner" registered its Nova and Cinder internal-only.
const catalog: ServiceCatalog = [
  { type: 'identity', endpoints: [ep('outer', 'public', 'identity')] },
  {
    type: 'compute',
    endpoints: [ep('outer', 'public', 'compute'), ep('inner', 'internal', 'compute')],
  },
  {
    type: 'volumev3',
    endpoints: [ep('outer', 'public', 'volumev3'), ep('inner', 'internal', 'volumev3')],
  },
];

function directory(interfaces: readonly ('public' | 'internal')[]): RegionDirectory {
  const token: KeystoneToken = {
    value: new Secret('t'),
    expiresAt: Date.now() + 3_600_000,
    issuedAt: Date.now(),
    clockSkewMs: 0,
    catalog,
    projectId: 'p',
    userId: 'u',
  };
  return new RegionDirectory({
    auth: { token: async () => token },
    discovery: { interfaces, filter: () => true },
    // The drivers are never called here: only the region checks are under test.
    createDriver: () => ({}) as OpenStackDriver,
  });
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
}

describe('RegionDirectory: a region reachable only at another interface', () => {
  it('is listed, not hidden', async () => {
    const table = await directory(['public']).table();
    expect([...table.regions.keys()]).toEqual(['outer', 'inner']);
    expect(table.regions.get('inner')?.missing).toEqual(['compute', 'volume']);
  });

  it('is refused naming what it lacks at the chosen interfaces and where the catalog has it', async () => {
    const error = await refusal(directory(['public']).handle('inner', ['compute'], 'serverId'));
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect(error).toMatchObject({ field: 'serverId' });
    const { message } = error as Error;
    expect(message).not.toContain('not in the catalog');
    expect(message).toContain('region "inner" offers no compute (Nova) at interface public');
    expect(message).toContain('the catalog has compute at interface internal');
  });

  it('is used when its interface is among the chosen ones', async () => {
    const handle = await directory(['public', 'internal']).handle('inner', ['compute', 'volume'], 'region');
    expect(handle.info.services).toEqual(['compute', 'volume']);
  });

  it('a region truly absent is still "not in the catalog"', async () => {
    const error = await refusal(directory(['public']).handle('nowhere', ['compute'], 'region'));
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as Error).message).toContain('region "nowhere" is not in the catalog');
  });
});
