/**
 * @packageDocumentation
 * hybrid-broker core: the {@link PlatformDriver} interface, normalized types,
 * the {@link BrokerError} family, waiters, retry, config and the driver registry.
 */
export * from './attach-rules.js';
export * from './broker.js';
export * from './call-options.js';
export * from './clock.js';
export * from './config/broker-config.js';
export * from './config/load-config.js';
export * from './config/schema-helpers.js';
export * from './driver.js';
export * from './driver-definition.js';
export * from './errors.js';
export * from './events.js';
export * from './instantiate.js';
export * from './keyed-mutex.js';
export * from './lazy-driver.js';
export * from './list-filters.js';
export * from './logger.js';
export * from './memory/memory-definition.js';
export * from './memory/memory-driver.js';
export * from './move-volume.js';
export * from './request-schemas.js';
export * from './retry.js';
export * from './runtime-driver.js';
export * from './secret.js';
export * from './services.js';
export * from './types.js';
export * from './waiter.js';
