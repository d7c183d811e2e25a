import { type CreateBrokerOptions, createBroker } from './broker.js';
import type { BrokerConfig } from './config/broker-config.js';
import type { Platform } from './driver.js';
import type { AnyDriverDefinition } from './driver-definition.js';

/**
 * One driver without a broker config file: validates `config` with the
 * definition's schema and returns the driver with the same runtime wrapper
 * (validation, per-server serialization, events, secret scrubbing) a broker
 * gives it.
 *
 * @example
 * const driver = createDriver(memoryDriver, { availabilityZones: ['az-1'] });
 */
export function createDriver(
  definition: AnyDriverDefinition,
  config: Record<string, unknown>,
  options: Omit<CreateBrokerOptions, 'drivers'> = {},
): Platform {
  const name = definition.kind;
  const brokerConfig = {
    platforms: { [name]: { ...config, driver: definition.kind } },
  } as unknown as BrokerConfig;
  return createBroker(brokerConfig, { ...options, drivers: [definition] }).platform(name);
}
