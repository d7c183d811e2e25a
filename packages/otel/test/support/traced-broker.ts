import { type Broker, createBroker } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll } from 'vitest';
import { type Clouds, startClouds } from './clouds.js';
import { type InMemoryTelemetry, openInMemoryTelemetry } from './in-memory-telemetry.js';

/** The broker of a span test, its clouds and its in-memory telemetry, set once the suite starts. */
export interface TracedBroker {
  readonly broker: Broker;
  readonly clouds: Clouds;
  readonly otel: InMemoryTelemetry;
}

/**
 * A broker over every driver against cloud-sim, traced into memory: made before the file's
 * tests and closed after them (the clouds stopped, the telemetry shut down). Read the fields
 * inside tests, not at import time.
 */
export function useTracedBroker(): TracedBroker {
  let state: TracedBroker | undefined;
  const ready = (): TracedBroker => {
    if (!state) throw new Error('the traced broker is made in beforeAll');
    return state;
  };
  beforeAll(async () => {
    const otel = openInMemoryTelemetry();
    const clouds = await startClouds();
    const broker = createBroker(clouds.config, {
      drivers: [openstackDriver, cascadingDriver, awsDriver, azureDriver],
      services: { ...otel.telemetry.services, fetch: clouds.fetch },
    });
    state = { broker, clouds, otel };
  });
  afterAll(async () => {
    await state?.broker.close();
    await state?.clouds.stop();
    await state?.otel.shutdown();
  });
  return {
    get broker() {
      return ready().broker;
    },
    get clouds() {
      return ready().clouds;
    },
    get otel() {
      return ready().otel;
    },
  };
}

/** The client (request) spans whose parent is `span`. */
export function requestsOf(spans: readonly ReadableSpan[], span: ReadableSpan | undefined): ReadableSpan[] {
  return spans.filter(
    (s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === span?.spanContext().spanId,
  );
}
