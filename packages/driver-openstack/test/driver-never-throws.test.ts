import { systemClock } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import type { CinderClient } from '../src/cinder/cinder-client.js';
import type { NovaClient } from '../src/nova/nova-client.js';
import { OpenStackDriver } from '../src/openstack-driver.js';
import type { NameResolver } from '../src/operations/name-resolver.js';

// The cascading driver and other users call OpenStackDriver unwrapped: like the async functions
// they replaced, its read methods must reject, never throw, whatever the layer below does.
describe('OpenStackDriver reads', () => {
  const failing = () => {
    throw new URIError('URI malformed');
  };
  const driver = new OpenStackDriver({
    nova: { getServer: failing } as unknown as NovaClient,
    cinder: { getVolume: failing } as unknown as CinderClient,
    names: {} as NameResolver,
    clock: systemClock,
    novaMicroversion: '2.1',
  });

  it('turn a synchronous throw below them into a rejection', async () => {
    let server: Promise<unknown> | undefined;
    let volume: Promise<unknown> | undefined;
    expect(() => {
      server = driver.getServer({ serverId: '2390fb4d-1693-45d7-b309-e29c4af16538' });
      volume = driver.getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' });
    }).not.toThrow();
    await expect(server).rejects.toBeInstanceOf(URIError);
    await expect(volume).rejects.toBeInstanceOf(URIError);
  });
});
