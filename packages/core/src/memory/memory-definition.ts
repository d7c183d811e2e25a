import { z } from 'zod';
import { defineDriver } from '../driver-definition.js';
import { memoryFlavorSchema, memoryImageSchema } from './memory-catalog.js';
import { MemoryDriver } from './memory-driver.js';

/** Options of the `memory` driver. */
export const memoryConfigSchema = z.strictObject({
  /** Zones servers and volumes live in; the first is the default. */
  availabilityZones: z.array(z.string().min(1)).min(1).default(['az-1', 'az-2']),
  /** Images a create accepts: names, or `{ id, name, status, minDiskGiB, minRamMiB }`. */
  images: z.array(memoryImageSchema).min(1).default(['cirros']),
  /** Flavors a create accepts: names, or `{ id, name, vcpus, ramMiB, diskGiB }`. */
  flavors: z.array(memoryFlavorSchema).min(1).default(['m1.small']),
  /** Hosts servers are placed on; an anti-affinity group holds at most one member per host. */
  hosts: z.number().int().positive().max(1000).default(4),
  /** Transition times in ms. */
  delays: z
    .strictObject({
      buildMs: z.number().int().nonnegative().default(20),
      attachMs: z.number().int().nonnegative().default(10),
      detachMs: z.number().int().nonnegative().default(10),
      deleteMs: z.number().int().nonnegative().default(10),
      powerMs: z.number().int().nonnegative().default(10),
    })
    .default({ buildMs: 20, attachMs: 10, detachMs: 10, deleteMs: 10, powerMs: 10 }),
  /** Volumes present from the start. */
  volumes: z
    .array(
      z.strictObject({
        id: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
        availabilityZone: z.string().min(1).optional(),
        sizeGiB: z.number().int().positive().optional(),
      }),
    )
    .default([]),
});

/** The memory driver's config as written. */
export type MemoryDriverConfigInput = z.input<typeof memoryConfigSchema>;

declare module '../config/broker-config.js' {
  interface DriverConfigMap {
    memory: MemoryDriverConfigInput;
  }
}

/** The `memory` driver: an in-process cloud for tests and demos. */
export const memoryDriver = defineDriver({
  kind: 'memory',
  configSchema: memoryConfigSchema,
  capabilities: {
    idempotentCreate: true,
    readOnlyAttach: true,
    requestedDeviceHonoured: true,
    antiAffinity: true,
    volumeLifecycle: true,
    volumeFromImage: true,
    power: true,
    listImages: true,
    listFlavors: true,
  },
  create(config, context) {
    const driver = new MemoryDriver({
      ...config,
      clock: context.services.clock,
      wait: context.wait,
      emit: context.emit,
    });
    for (const volume of config.volumes) driver.seedVolume(volume);
    return driver;
  },
});
