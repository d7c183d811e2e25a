import type { CallScope, EventSink, Watch } from '@hybrid-broker/core';
import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import { DEFAULT_PROVIDERS } from './attributes.js';
import { eventSpans } from './event-spans.js';
import { createInstruments } from './instruments.js';
import { operationScope } from './operation-scope.js';
import { countedWatch, createWatchEventCounter } from './watch-events.js';

/** Where the telemetry goes; every field is optional. */
export interface BrokerTelemetryOptions {
  /** Default: the global provider (what the OpenTelemetry SDK registered). */
  readonly tracerProvider?: TracerProvider;
  /** Default: the global provider. */
  readonly meterProvider?: MeterProvider;
  /** `cloud.provider` by driver kind, over the built-in ones (a third-party driver's, say). */
  readonly providers?: Readonly<Record<string, string>>;
}

/** The two services a broker takes to be traced and measured. */
export interface BrokerTelemetry {
  /** Runs each operation inside its span. */
  readonly callScope: CallScope;
  /** Turns the broker's events into request spans, span events and metrics. */
  readonly events: EventSink;
  /** Both, ready for `createBroker(config, { services: telemetry.services })`. */
  readonly services: { readonly callScope: CallScope; readonly events: EventSink };
  /**
   * `watch`, counting the events its consumer takes in `hybrid_broker.watch.events` (by type,
   * kind, platform). Each list of a watch is already an operation span (`listVolumes`, `listServers`).
   */
  countWatch(watch: Watch, platform?: string): Watch;
}

const SCOPE_NAME = '@hybrid-broker/otel';

/**
 * OpenTelemetry for a broker: one span per operation with a client span per
 * HTTP request under it, poll, retry, re-auth and state-change span events,
 * and the operation, request, retry, throttle and waiting metrics.
 *
 * @example
 * const telemetry = brokerTelemetry();
 * const broker = createBroker(config, { drivers, services: { ...telemetry.services, logger } });
 * // with an event sink of your own as well:
 * // services: { callScope: telemetry.callScope, events: teeEventSink(telemetry.events, mine) }
 */
export function brokerTelemetry(options: BrokerTelemetryOptions = {}): BrokerTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME);
  const instruments = createInstruments(meter);
  const providers = { ...DEFAULT_PROVIDERS, ...options.providers };
  const providerOf = (driver: string): string | undefined => providers[driver];
  const callScope = operationScope({ tracer, instruments, providerOf });
  const events = eventSpans({ tracer, instruments });
  const watchEvents = createWatchEventCounter(meter);
  const countWatch = (watch: Watch, platform?: string) => countedWatch(watch, watchEvents, platform);
  return { callScope, events, services: { callScope, events }, countWatch };
}
