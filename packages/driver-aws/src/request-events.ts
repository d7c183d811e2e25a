import type { BrokerEventInput } from '@hybrid-broker/core';
import { codeForEc2Error } from './ec2-errors.js';

/** One step of the SDK's handler chain: takes the serialized request, returns the raw and parsed response. */
type Handler = (args: { readonly request?: unknown }) => Promise<unknown>;

/** What the SDK hands a middleware about its command (`AttachVolumeCommand`). */
interface HandlerContextLike {
  readonly commandName?: string;
}

/** The subset of the SDK's middleware stack used here, so this file needs no SDK types. */
export interface MiddlewareStackLike {
  add(
    middleware: (next: Handler, context: HandlerContextLike) => Handler,
    options: { step: 'deserialize'; priority: 'high'; name: string },
  ): void;
}

/** The parts of the SDK's HTTP request an event needs. */
interface RequestShape {
  readonly method?: string;
  readonly protocol?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

/** What an SDK response or error carries about its HTTP exchange. */
interface MetadataShape {
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly response?: { readonly statusCode?: number; readonly headers?: Record<string, string> };
}

/**
 * Adds a middleware that emits one `request` event per HTTP attempt. It sits
 * in the deserialize step, inside the SDK's retry loop, so every retried
 * attempt is timed and counted on its own; the URL loses its query string.
 * The event names the EC2 action (`call: 'AttachVolume'`): every EC2 request
 * goes to the same URL.
 */
export function addRequestEvents(stack: MiddlewareStackLike, emit: (event: BrokerEventInput) => void): void {
  const middleware =
    (next: Handler, context: HandlerContextLike): Handler =>
    async (args) => {
      const call = actionOf(context);
      const request = (args.request ?? {}) as RequestShape;
      const method = request.method ?? 'POST';
      const url = urlOf(request);
      const started = performance.now();
      try {
        const result = await next(args);
        const shape = result as MetadataShape & { output?: MetadataShape };
        const status = shape.response?.statusCode;
        const requestId = shape.output?.$metadata?.requestId ?? headerRequestId(shape.response?.headers);
        emit({
          type: 'request',
          method,
          ...(call === undefined ? {} : { call }),
          url,
          durationMs: performance.now() - started,
          ...(status === undefined ? {} : { status }),
          ...(requestId === undefined ? {} : { requestId }),
        });
        return result;
      } catch (error) {
        const meta = (error as MetadataShape).$metadata;
        const status = meta?.httpStatusCode;
        const requestId = meta?.requestId;
        emit({
          type: 'request',
          method,
          ...(call === undefined ? {} : { call }),
          url,
          durationMs: performance.now() - started,
          ...(status === undefined ? { error: errorName(error) } : { status }),
          ...(requestId === undefined ? {} : { requestId }),
        });
        throw error;
      }
    };
  stack.add(middleware, { step: 'deserialize', priority: 'high', name: 'hybridBrokerRequestEvents' });
}

/**
 * Calls `onThrottle` for every throttled attempt (RequestLimitExceeded, or a
 * 429 from a proxy), inside the SDK's retry loop, so the platform's budget
 * pauses every caller before the SDK's own retry goes out.
 */
export function addThrottleWatch(stack: MiddlewareStackLike, onThrottle: () => void): void {
  const middleware =
    (next: Handler): Handler =>
    async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const shape = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (codeForEc2Error(shape.name ?? '', shape.$metadata?.httpStatusCode) === 'throttled') onThrottle();
        throw error;
      }
    };
  stack.add(middleware, { step: 'deserialize', priority: 'high', name: 'hybridBrokerThrottleWatch' });
}

/** The EC2 action of the command: `AttachVolumeCommand` -> `AttachVolume`. */
function actionOf(context: HandlerContextLike | undefined): string | undefined {
  const name = context?.commandName;
  return name?.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}

function urlOf(request: RequestShape): string {
  const port = request.port === undefined ? '' : `:${request.port}`;
  return `${request.protocol ?? 'https:'}//${request.hostname ?? ''}${port}${request.path ?? '/'}`;
}

function headerRequestId(headers: Record<string, string> | undefined): string | undefined {
  return headers?.['x-amzn-requestid'] ?? headers?.['x-amz-request-id'];
}

function errorName(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'Error';
}
