import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type BrokerTelemetry, brokerTelemetry } from '../../src/index.js';

/** A reader that exports nothing on its own: the test collects when it wants to look. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One metric's data points with their attributes. */
export interface MetricPoints {
  readonly name: string;
  readonly points: readonly DataPoint<unknown>[];
}

/** The SDK's in-memory span exporter and a collecting metric reader behind a broker's telemetry. */
export interface InMemoryTelemetry {
  readonly telemetry: BrokerTelemetry;
  spans(): ReadableSpan[];
  metrics(): Promise<MetricPoints[]>;
  /** Everything exported, as text, for the canary scan. */
  exported(): Promise<string>;
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * Telemetry as an operator's SDK setup would give it, in memory: an
 * AsyncLocalStorage context manager (what NodeSDK registers), a tracer
 * provider with the in-memory exporter, a meter provider with a reader.
 */
export function openInMemoryTelemetry(): InMemoryTelemetry {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = brokerTelemetry({ tracerProvider, meterProvider });
  const metrics = async (): Promise<MetricPoints[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((m) => ({ name: m.descriptor.name, points: m.dataPoints as DataPoint<unknown>[] })),
    );
  };
  return {
    telemetry,
    spans: () => exporter.getFinishedSpans(),
    metrics,
    async exported() {
      const spans = exporter.getFinishedSpans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
      }));
      return JSON.stringify({ spans, metrics: await metrics() });
    },
    reset: () => exporter.reset(),
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      context.disable();
    },
  };
}
