import { describe, expect, it } from 'vitest';
import { wrapDriver } from '../src/driver-kit.js';
import { type BrokerError, createBroker, type PlatformDriver } from '../src/index.js';

const broker = () =>
  createBroker({
    platforms: {
      lab: { driver: 'memory', availabilityZones: ['az-1'], images: ['img'], flavors: ['small'] },
    },
  });

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: BrokerError) => error,
  );
}

describe('what broker.platform adds over every driver', () => {
  it('refuses a move onto its own source server, naming toServerId, before the cloud is asked', async () => {
    const error = await rejection(
      broker().platform('lab').moveVolume({ volumeId: 'v', fromServerId: 's', toServerId: 's' }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('toServerId');
  });

  it('names the bad field of a list filter', async () => {
    const error = await rejection(
      broker()
        .platform('lab')
        .listVolumes({ status: 'busy' as 'available' }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('status');
  });

  it('says a third-party driver without lists cannot list, as invalid-request', async () => {
    const bare: PlatformDriver = {
      kind: 'bare',
      capabilities: {},
      createServer: () => Promise.reject(new Error('unused')),
      attachVolume: () => Promise.reject(new Error('unused')),
      detachVolume: () => Promise.reject(new Error('unused')),
      getServer: () => Promise.reject(new Error('unused')),
      getVolume: () => Promise.reject(new Error('unused')),
      deleteServer: () => Promise.reject(new Error('unused')),
    };
    const platform = wrapDriver(bare, { platform: 'p', now: Date.now, secrets: [] });
    const error = await rejection(platform.listServers({ name: 'x' }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/bare driver cannot list servers/);
  });
});
