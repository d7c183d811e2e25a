import { describe, expect, it } from 'vitest';
import { wrapDriver } from '../src/driver-kit.js';
import { type BrokerError, MemoryDriver, type PlatformDriver } from '../src/index.js';

function memory(): MemoryDriver {
  return new MemoryDriver({
    availabilityZones: ['az-1'],
    images: ['img'],
    flavors: ['small'],
    delays: { buildMs: 1, attachMs: 1, detachMs: 1, deleteMs: 1 },
  });
}

const context = { platform: 'lab', now: Date.now, secrets: [] };

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: BrokerError) => error,
  );
}

describe('detachVolume force option', () => {
  it('a force that is not a boolean is invalid-request naming the field, before any request', async () => {
    const cloud = memory();
    const platform = wrapDriver(cloud, context);
    const error = await rejection(
      platform.detachVolume(
        { serverId: 'a0000000-0000-4000-8000-00000000dead', volumeId: 'vol-1' },
        { force: 'yes' as unknown as boolean },
      ),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('force');
  });

  it('a forced detach on a driver without capability forceDetach is refused and names the capability', async () => {
    const cloud = memory();
    let called = false;
    const plain: PlatformDriver = {
      ...cloud,
      kind: 'plain',
      capabilities: {},
      createServer: (r, o) => cloud.createServer(r, o),
      attachVolume: (r, o) => cloud.attachVolume(r, o),
      detachVolume: (r, o) => {
        called = true;
        return cloud.detachVolume(r, o);
      },
      getServer: (r, o) => cloud.getServer(r, o),
      getVolume: (r, o) => cloud.getVolume(r, o),
      deleteServer: (r, o) => cloud.deleteServer(r, o),
    };
    const platform = wrapDriver(plain, context);
    const error = await rejection(
      platform.detachVolume(
        { serverId: 'a0000000-0000-4000-8000-00000000dead', volumeId: 'vol-1' },
        { force: true },
      ),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/forceDetach/);
    expect(called).toBe(false);
  });

  it('force: false is a plain detach', async () => {
    const cloud = memory();
    const platform = wrapDriver(cloud, context);
    const server = await platform.createServer({ name: 's', image: 'img', flavor: 'small' });
    const volume = cloud.seedVolume();
    await platform.attachVolume({ serverId: server.id, volumeId: volume.id });
    const result = await platform.detachVolume(
      { serverId: server.id, volumeId: volume.id },
      { force: false },
    );
    expect(result.detached).toBe(true);
    expect(result.volume.status).toBe('available');
  });
});
