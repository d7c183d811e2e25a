/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * hybrid-broker core for programs: {@link createBroker}, the {@link PlatformDriver}
 * interface, normalized types, the {@link BrokerError} family, events, config
 * and the `memory` driver. Driver authors also import
 * `@hybrid-broker/core/driver-kit` (waiter, retry, keyed mutex, runtime wrapper).
 */
export {
  type Broker,
  type CreateBrokerOptions,
  createBroker,
  createBrokerFromFile,
  type PlatformSummary,
} from './broker.js';
export type { CallFrame, CallScope } from './call-scope.js';
export * from './catalog/catalog-types.js';
export type { Clock } from './clock.js';
export * from './config/broker-config.js';
export * from './config/load-config.js';
export * from './driver.js';
export type { AnyDriverDefinition, DriverContext, DriverDefinition } from './driver-definition.js';
export {
  BROKER_ERROR_CODES,
  BrokerError,
  type BrokerErrorCode,
  type BrokerErrorDetails,
  findBrokerError,
  isBrokerError,
  isRetryable,
} from './errors.js';
export * from './events.js';
export * from './instantiate.js';
export type { ListOptions, ListPage, PageOptions } from './list-paging.js';
export * from './logger.js';
export type { MemoryFlavorInput, MemoryImageInput } from './memory/memory-catalog.js';
export * from './memory/memory-cloud.js';
export * from './memory/memory-definition.js';
export * from './memory/memory-driver.js';
export type { MemorySnapshotRecord, MemorySnapshotStore } from './memory/memory-snapshot-store.js';
export * from './metadata-types.js';
export * from './move-volume.js';
export * from './power-types.js';
export type { RetryPolicy } from './retry.js';
export type {
  RequestBudgetOptions,
  ResolvedRequestBudget,
  ResolvedScaleOptions,
  ScaleOptions,
} from './scale-options.js';
export { Secret } from './secret.js';
export { type BrokerServices, createBrokerContainer, type FetchFn } from './services.js';
export * from './snapshots/snapshot-types.js';
export * from './types.js';
export * from './volume-types.js';
export type * from './watch/change-list.js';
export type * from './watch/watch-source.js';
export type * from './watch/watch-types.js';
