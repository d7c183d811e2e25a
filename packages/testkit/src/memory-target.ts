import { type Clock, type MemoryCloudOptions, MemoryDriver } from '@hybrid-broker/core';
import { wrapDriver } from '@hybrid-broker/core/driver-kit';
import { memoryOutOfBand } from './memory-out-of-band.js';
import type { ContractTarget } from './target.js';

/**
 * A contract target over a fresh memory cloud (two zones, short delays).
 * `mutate` lets a test break the driver on purpose, to prove the suite notices.
 */
export function memoryContractTarget(
  options: Partial<MemoryCloudOptions> & { clock?: Clock } = {},
  mutate?: (driver: MemoryDriver) => void,
): ContractTarget & { memory: MemoryDriver } {
  const memory = new MemoryDriver({
    availabilityZones: ['az-1', 'az-2'],
    images: [
      'cirros',
      { id: 'sg-image-1', name: 'sg-image', minDiskGiB: 10, minRamMiB: 1024 },
      { id: 'sg-image-2', name: 'sg-image', status: 'pending' },
    ],
    flavors: ['m1.small', { id: 'm1-large', name: 'm1.large', vcpus: 4, ramMiB: 8192, diskGiB: 80 }],
    delays: { buildMs: 15, attachMs: 10, detachMs: 10, deleteMs: 10 },
    ...options,
  });
  mutate?.(memory);
  const context = { platform: 'memory', emit: () => {}, now: Date.now, secrets: [] };
  const driver = wrapDriver(memory, context);
  return {
    memory,
    driver,
    // a second wrapper has its own per-server locks, as a second broker process would
    secondDriver: wrapDriver(memory, context),
    fixtures: {
      image: 'cirros',
      flavor: 'm1.small',
      availabilityZone: 'az-1',
      otherAvailabilityZone: 'az-2',
      createVolume: async (availabilityZone) => memory.seedVolume({ availabilityZone }).id,
      setVolumeStatus: async (volumeId, status) =>
        memory.setVolumeStatus(volumeId, status === 'error' ? 'error' : 'detaching'),
      failNextBuild: async () => memory.failNextBuild('No valid host was found'),
      antiAffinity: { capacity: options.hosts ?? 4 },
      volumeImageId: 'cirros',
      catalog: { ambiguousImageName: 'sg-image' },
      outOfBand: memoryOutOfBand(memory.cloud),
    },
  };
}
