import { describe, expect, it } from 'vitest';
import { CatalogNames, pickCatalogEntry, wrapDriver } from '../src/driver-kit.js';
import { type BrokerError, type Image, MemoryDriver, type PlatformDriver } from '../src/index.js';

const entries = [
  { id: 'i-1', name: 'ubuntu-22.04' },
  { id: 'i-2', name: 'sg-server' },
  { id: 'i-3', name: 'sg-server' },
];

function caught(fn: () => unknown): BrokerError {
  try {
    fn();
  } catch (error) {
    return error as BrokerError;
  }
  throw new Error('expected a throw');
}

describe('pickCatalogEntry: one rule for image and flavor names', () => {
  it('an id wins, then the one exact name', () => {
    expect(pickCatalogEntry('image', 'i-3', entries)).toBe('i-3');
    expect(pickCatalogEntry('image', 'ubuntu-22.04', entries)).toBe('i-1');
  });

  it('no match is invalid-request naming the field and a few known names', () => {
    const error = caught(() => pickCatalogEntry('image', 'ubuntu', entries));
    expect(error).toMatchObject({ code: 'invalid-request', field: 'image' });
    expect(error.message).toBe('image "ubuntu" not found; known: ubuntu-22.04, sg-server');
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `f${i}`, name: `m${i}` }));
    expect(caught(() => pickCatalogEntry('flavor', 'x', many)).message).toMatch(/m9 and 4 more$/);
  });

  it('a shared name is invalid-request naming the field and the ids', () => {
    const error = caught(() => pickCatalogEntry('image', 'sg-server', entries));
    expect(error).toMatchObject({ code: 'invalid-request', field: 'image' });
    expect(error.message).toContain('i-2, i-3');
  });
});

describe('CatalogNames', () => {
  const image = (id: string, name: string): Image => ({
    id,
    name,
    status: 'available',
    providerStatus: 'active',
    minDiskGiB: 0,
    minRamMiB: 0,
  });

  it('asks by name, remembers the answer, and reads the whole list only when nothing matched', async () => {
    const asked: string[] = [];
    let now = 0;
    const names = new CatalogNames({
      clock: { now: () => now, sleep: async () => {} } as never,
      ttlMs: 1_000,
      listImages: async (filter) => {
        asked.push(filter.name ?? '*');
        const all = [image('a', 'one'), image('b', 'two')];
        return filter.name === undefined ? all : all.filter((i) => i.name === filter.name);
      },
      listFlavors: async () => [{ id: '1', name: 'm1.tiny', vcpus: 1, ramMiB: 512, diskGiB: 1 }],
      isImageId: (ref) => ref.startsWith('uuid-'),
    });
    expect(await names.image('two')).toBe('b');
    expect(await names.image('two')).toBe('b');
    expect(await names.image('uuid-7')).toBe('uuid-7');
    expect(asked).toEqual(['two']);
    now = 2_000;
    expect(await names.image('a')).toBe('a');
    expect(asked).toEqual(['two', 'a', '*']);
    await expect(names.image('three')).rejects.toMatchObject({ field: 'image', message: /known: one, two/ });
    expect(await names.flavor('m1.tiny')).toBe('1');
  });
});

describe('the catalog lists through the runtime wrapper', () => {
  const context = { platform: 'p', emit: () => {}, now: Date.now, secrets: [] };

  it('memory lists and filters; bad filters name the field', async () => {
    const memory = new MemoryDriver({
      availabilityZones: ['az-1'],
      images: ['cirros', { id: 'x', name: 'sg', status: 'pending', minDiskGiB: 10 }],
      flavors: ['m1.small', { name: 'm1.large', vcpus: 4, ramMiB: 8192 }],
      delays: { buildMs: 1, attachMs: 1, detachMs: 1, deleteMs: 1 },
    });
    const platform = wrapDriver(memory, context);
    expect(await platform.listImages({ status: 'pending' })).toEqual([
      { id: 'x', name: 'sg', status: 'pending', providerStatus: 'pending', minDiskGiB: 10, minRamMiB: 0 },
    ]);
    expect((await platform.listFlavors({ minVcpus: 2 })).map((f) => f.name)).toEqual(['m1.large']);
    await expect(platform.listFlavors({ minRamMiB: 1.5 })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'minRamMiB',
    });
    const server = await platform.createServer({ name: 's', image: 'sg', flavor: 'm1.large' });
    expect(server).toMatchObject({ image: 'x', flavor: 'm1.large' });
  });

  it('a driver without the capability is refused naming the platform', async () => {
    const memory = new MemoryDriver({
      availabilityZones: ['az-1'],
      images: ['cirros'],
      flavors: ['m1.small'],
      delays: { buildMs: 1, attachMs: 1, detachMs: 1, deleteMs: 1 },
    });
    const bare: PlatformDriver = {
      kind: 'bare',
      capabilities: { ...memory.capabilities, listImages: false },
      createServer: (r, o) => memory.createServer(r, o),
      attachVolume: (r, o) => memory.attachVolume(r, o),
      detachVolume: (r, o) => memory.detachVolume(r, o),
      getServer: (r, o) => memory.getServer(r, o),
      getVolume: (r, o) => memory.getVolume(r, o),
      deleteServer: (r, o) => memory.deleteServer(r, o),
      listImages: (f, o) => memory.listImages(f, o),
      listFlavors: (f, o) => memory.listFlavors(f, o),
    };
    const platform = wrapDriver(bare, context);
    await expect(platform.listImages()).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'platform',
      message: /cannot list images \(capability listImages\)/,
    });
    expect(await platform.listFlavors()).toHaveLength(1);
  });
});
