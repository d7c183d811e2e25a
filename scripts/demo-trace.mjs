// The demo's --trace: an OpenTelemetry setup in memory (what an operator's SDK
// would register, with the in-memory exporter in place of OTLP) and the span
// tree of what ran since the last look.
import { brokerTelemetry, formatSpanTree } from '@hybrid-broker/otel';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Starts tracing; `tree()` prints and forgets the finished spans. */
export async function startTracing() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const telemetry = brokerTelemetry({ tracerProvider });
  return {
    telemetry,
    tree(indent = '') {
      const text = formatSpanTree(exporter.getFinishedSpans());
      exporter.reset();
      return text
        .split('\n')
        .map((line) => indent + line)
        .join('\n');
    },
    async stop() {
      await tracerProvider.shutdown();
      context.disable();
    },
  };
}
