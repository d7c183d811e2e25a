import type { BrokerEvent, EventSink, RequestEvent } from '@hybrid-broker/core';
import { type Attributes, context, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { ATTR, requestIdAttribute } from './attributes.js';
import type { BrokerInstruments } from './instruments.js';
import { type OperationRecord, operationOf } from './operation-record.js';

/** What the sink is built with. */
export interface EventSpansOptions {
  readonly tracer: Tracer;
  readonly instruments: BrokerInstruments;
}

/**
 * An EventSink that turns the broker's events into telemetry: each request a
 * client span (child of the active span, so of the operation's), each retry,
 * re-auth, poll and state change an event on the operation's span, and the
 * request, retry and throttle counters. Events come scrubbed of secrets and
 * their URLs without query strings; nothing else of theirs is read.
 */
export function eventSpans(options: EventSpansOptions): EventSink {
  const { tracer, instruments } = options;
  return {
    emit(event: BrokerEvent): void {
      const active = context.active();
      const operation = operationOf(active);
      const platform = event.platform ?? operation?.platform ?? '';
      switch (event.type) {
        case 'request':
          requestSpan(tracer, event, operation);
          if (operation) operation.requestMs += event.durationMs;
          instruments.requests.add(1, { [ATTR.platform]: platform, ...outcomeOf(event) });
          if (event.status === 429) instruments.throttles.add(1, { [ATTR.platform]: platform });
          return;
        case 'retry':
          instruments.retries.add(1, { [ATTR.platform]: platform, [ATTR.errorType]: event.code });
          operation?.span.addEvent('retry', {
            'hybrid_broker.retry.attempt': event.attempt,
            'hybrid_broker.retry.delay_ms': event.delayMs,
            'hybrid_broker.retry.call': event.operation,
            [ATTR.errorType]: event.code,
          });
          return;
        case 'reauth':
          operation?.span.addEvent('reauth', { 'hybrid_broker.reauth.reason': event.reason });
          return;
        case 'poll':
          operation?.span.addEvent('poll', {
            'hybrid_broker.poll.waiting_for': event.waitingFor,
            'hybrid_broker.poll.attempt': event.attempt,
            'hybrid_broker.poll.state': event.state,
          });
          return;
        case 'state-change':
          operation?.span.addEvent('state-change', {
            [`hybrid_broker.${event.resource}.id`]: event.id,
            ...(event.from === undefined ? {} : { 'hybrid_broker.state.from': event.from }),
            'hybrid_broker.state.to': event.to,
          });
          return;
        default:
          // Operation events: the CallScope's span already stands for the operation.
          return;
      }
    },
  };
}

// The event arrives when the request ended, so its span is made after the fact with its real times.
function requestSpan(tracer: Tracer, event: RequestEvent, operation: OperationRecord | undefined): void {
  const end = Date.now();
  const attributes: Attributes = {
    [ATTR.method]: event.method,
    [ATTR.url]: event.url,
    ...addressOf(event.url),
    ...(event.call === undefined ? {} : { [ATTR.call]: event.call }),
    ...(event.call?.startsWith(`${event.method} /`)
      ? { [ATTR.urlTemplate]: event.call.slice(event.method.length + 1) }
      : {}),
    ...(event.status === undefined ? {} : { [ATTR.status]: event.status }),
    ...(event.requestId === undefined ? {} : { [requestIdAttribute(operation?.provider)]: event.requestId }),
    ...(operation?.provider ? { [ATTR.cloudProvider]: operation.provider } : {}),
    ...(event.platform === undefined ? {} : { [ATTR.platform]: event.platform }),
  };
  const failure = errorTypeOf(event);
  if (failure) attributes[ATTR.errorType] = failure;
  const span = tracer.startSpan(
    event.call ?? event.method,
    { kind: SpanKind.CLIENT, startTime: end - event.durationMs, attributes },
    context.active(),
  );
  if (failure) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}

/** Per the HTTP conventions: the status code as a string from 400 up, else the client's error. */
function errorTypeOf(event: RequestEvent): string | undefined {
  if (event.error) return event.error;
  return event.status !== undefined && event.status >= 400 ? String(event.status) : undefined;
}

function outcomeOf(event: RequestEvent): Attributes {
  return {
    [ATTR.method]: event.method,
    ...(event.status === undefined ? {} : { [ATTR.status]: event.status }),
    ...(event.error === undefined ? {} : { [ATTR.errorType]: event.error }),
  };
}

function addressOf(url: string): Attributes {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { [ATTR.serverAddress]: parsed.hostname, [ATTR.serverPort]: port };
  } catch {
    return {};
  }
}
