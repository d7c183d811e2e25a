import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** The broker's metrics, made once per telemetry instance. */
export interface BrokerInstruments {
  /** Seconds per operation, by operation, platform and outcome (`ok` or the BrokerError code). */
  readonly operationDuration: Histogram;
  /** Seconds of an operation spent outside its requests: polls' and retries' sleeps, queueing. */
  readonly waitDuration: Histogram;
  /** Requests, by platform, method and status (or `error.type` when no response came). */
  readonly requests: Counter;
  /** Retries the broker made, by platform and the code that caused them. */
  readonly retries: Counter;
  /** Requests the cloud refused for rate (HTTP 429). */
  readonly throttles: Counter;
}

/** Creates the instruments on `meter`. */
export function createInstruments(meter: Meter): BrokerInstruments {
  return {
    operationDuration: meter.createHistogram('hybrid_broker.operation.duration', {
      unit: 's',
      description: 'Duration of broker operations',
    }),
    waitDuration: meter.createHistogram('hybrid_broker.operation.wait_duration', {
      unit: 's',
      description: 'Time an operation spent waiting between its requests',
    }),
    requests: meter.createCounter('hybrid_broker.requests', {
      unit: '{request}',
      description: 'HTTP requests to the clouds',
    }),
    retries: meter.createCounter('hybrid_broker.retries', {
      unit: '{retry}',
      description: 'Calls the broker repeated',
    }),
    throttles: meter.createCounter('hybrid_broker.throttles', {
      unit: '{request}',
      description: 'Requests the cloud throttled',
    }),
  };
}
