import type { CallFrame, CallScope } from '@hybrid-broker/core';
import { type Attributes, context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { ATTR, operationAttributes, resourceAttributes } from './attributes.js';
import type { BrokerInstruments } from './instruments.js';
import { type OperationRecord, withOperation } from './operation-record.js';

/** What the scope is built with. */
export interface OperationScopeOptions {
  readonly tracer: Tracer;
  readonly instruments: BrokerInstruments;
  /** `cloud.provider` of a driver kind. */
  readonly providerOf: (driver: string) => string | undefined;
}

/**
 * A CallScope that runs every broker operation inside its own span, active
 * while the driver works (SDK instrumentations and the request spans nest
 * under it), and records its duration and waiting time. A failure sets
 * `error.type` to the BrokerError code and the span status to error; the
 * message is the broker's, already scrubbed of secrets, and no stack is kept.
 */
export function operationScope(options: OperationScopeOptions): CallScope {
  const { tracer, instruments } = options;
  return {
    run<T>(call: CallFrame, body: () => Promise<T>): Promise<T> {
      const provider = options.providerOf(call.driver);
      const attributes = operationAttributes(call, provider);
      const parent = context.active();
      const span = tracer.startSpan(call.operation, { kind: SpanKind.INTERNAL, attributes }, parent);
      const record: OperationRecord = {
        span,
        operation: call.operation,
        platform: call.platform,
        provider,
        requestMs: 0,
      };
      const started = performance.now();
      const finish = (outcome: Attributes): void => {
        const seconds = (performance.now() - started) / 1000;
        const labels = { [ATTR.operation]: call.operation, [ATTR.platform]: call.platform };
        instruments.operationDuration.record(seconds, { ...labels, ...outcome });
        instruments.waitDuration.record(Math.max(0, seconds - record.requestMs / 1000), labels);
        span.end();
      };
      const active = withOperation(trace.setSpan(parent, span), record);
      return context.with(active, body).then(
        (result) => {
          span.setAttributes(resourceAttributes(result, idKeyOf(call.operation)));
          finish({ [ATTR.outcome]: 'ok' });
          return result;
        },
        (error: unknown) => {
          const code = codeOf(error);
          span.setAttribute(ATTR.errorType, code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
          finish({ [ATTR.outcome]: code, [ATTR.errorType]: code });
          throw error;
        },
      );
    },
  };
}

/**
 * What a result's own `id` is: `getServer`, `createServer` and the power calls give a server,
 * an attach an attachment.
 */
function idKeyOf(operation: string): string | undefined {
  if (operation === 'attachVolume' || operation === 'moveVolume') return 'attachment';
  const noun = /^(?:get|create|start|stop|reboot)([A-Z]\w*)$/.exec(operation)?.[1];
  return noun ? noun.charAt(0).toLowerCase() + noun.slice(1) : undefined;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : '_OTHER';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
