/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * hybrid-broker core for driver authors: what a driver package needs beyond
 * the program-facing `@hybrid-broker/core` entry — {@link defineDriver}, the
 * config schema helpers, the waiter, retry, the keyed mutex, the runtime
 * wrapper, the attach and detach engine, attach rules, the idempotency-key request digest and
 * secret scrubbing. Programs do not need it.
 */
export * from './attach-rules.js';
export { collectSecrets } from './broker.js';
export {
  type CallDeadline,
  deadlineOf,
  deadlinePassed,
  startCallDeadline,
  timeLeft,
} from './call-deadline.js';
export * from './call-options.js';
export { type CallStart, currentCall, runInCall } from './call-scope.js';
export * from './catalog/catalog-filters.js';
export * from './catalog/catalog-names.js';
export { sleep, systemClock } from './clock.js';
export * from './config/schema-helpers.js';
export * from './create-race.js';
export { defineDriver, registerDriver, registeredDrivers } from './driver-definition.js';
export * from './engine/attach-engine.js';
export * from './engine/detach-engine.js';
export * from './engine/metadata-engine.js';
export * from './engine/power-engine.js';
export { abortedError, toBrokerError } from './errors.js';
export * from './force-detach.js';
export * from './keyed-mutex.js';
export * from './lazy-driver.js';
export * from './list-filters.js';
export * from './metadata-limits.js';
export * from './metadata-marker.js';
export * from './metadata-schemas.js';
export * from './platform-scale.js';
export * from './poll-coalescer.js';
export * from './power-schemas.js';
export * from './request-budget.js';
export * from './request-digest.js';
export * from './request-schemas.js';
export * from './response-head.js';
export {
  parseRetryAfter,
  type RetryContext,
  retriesAutomatically,
  retryAfterFailure,
  withRetry,
} from './retry.js';
export * from './runtime-driver.js';
export { DEFAULT_ATTACH_BATCH_WINDOW_MS, resolveScale, SCALE_OFF } from './scale-options.js';
export { isSecretKey, redact, safeUrl, scrub } from './secret.js';
export * from './secret-hygiene.js';
export * from './server-lock.js';
export { resolveServices, TOKENS } from './services.js';
export * from './single-flight.js';
export * from './snapshots/snapshot-digest.js';
export * from './snapshots/snapshot-schemas.js';
export * from './transition-times.js';
export * from './volume-digest.js';
export * from './volume-request-schemas.js';
export * from './waiter.js';
