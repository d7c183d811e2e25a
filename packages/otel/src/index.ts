/**
 * @packageDocumentation
 * OpenTelemetry for hybrid-broker: {@link brokerTelemetry} gives the broker a
 * call scope (one span per operation, active while the driver runs) and an
 * event sink (request spans, span events, metrics).
 */
export * from './attributes.js';
export * from './broker-telemetry.js';
export * from './event-spans.js';
export * from './instruments.js';
export * from './operation-scope.js';
export * from './span-tree.js';
