import { describe, expect, it } from 'vitest';
import { MemoryCloud, MemoryDriver } from '../src/index.js';

function cloud(): MemoryCloud {
  return new MemoryCloud({
    availabilityZones: ['az-1'],
    images: ['img'],
    flavors: ['small'],
    delays: { buildMs: 1, attachMs: 1, detachMs: 1, deleteMs: 1 },
  });
}

const request = { name: 'sg-1', image: 'img', flavor: 'small' };

describe('MemoryCloud', () => {
  it('two drivers over one cloud see one state, as two broker replicas would', async () => {
    const shared = cloud();
    const first = new MemoryDriver(shared);
    const second = new MemoryDriver(shared);
    const volume = shared.createVolume();
    const server = await first.createServer(request, { idempotencyKey: 'k-1' });
    // the same key through the other replica finds the server the first one made
    expect((await second.createServer(request, { idempotencyKey: 'k-1' })).id).toBe(server.id);
    await second.attachVolume({ serverId: server.id, volumeId: volume.id });
    expect((await first.getVolume({ volumeId: volume.id })).status).toBe('in-use');
  });

  it('a snapshot is a copy, and restoring it into a new cloud gives the same servers and volumes', async () => {
    const source = cloud();
    const driver = new MemoryDriver(source);
    const volume = source.createVolume({ name: 'data' });
    const server = await driver.createServer(request);
    await driver.attachVolume({ serverId: server.id, volumeId: volume.id });
    const snapshot = source.snapshot();
    await driver.detachVolume({ serverId: server.id, volumeId: volume.id });

    const restored = cloud();
    restored.restore(JSON.parse(JSON.stringify(snapshot)));
    const copy = new MemoryDriver(restored);
    expect((await copy.getServer({ serverId: server.id })).name).toBe('sg-1');
    const attached = await copy.getVolume({ volumeId: volume.id });
    expect(attached.attachments.map((a) => a.serverId)).toEqual([server.id]);
    // the source's later detach did not reach into the snapshot
    expect(snapshot.volumes[0]?.attachments).toHaveLength(1);
  });

  it('new MemoryDriver(options) makes a cloud of its own', async () => {
    const a = new MemoryDriver(cloud().options);
    const b = new MemoryDriver(cloud().options);
    a.seedVolume({ id: 'vol-a' });
    expect(a.cloud).not.toBe(b.cloud);
    expect(await b.listVolumes()).toEqual([]);
  });
});
