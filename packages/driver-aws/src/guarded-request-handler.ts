import { type Readable, Transform } from 'node:stream';
import { BrokerError } from '@hybrid-broker/core';

/** The part of the SDK's request handler (NodeHttpHandler) the guard wraps. */
export interface RequestHandlerLike {
  handle(request: RequestLike, options?: HandlerOptions): Promise<{ response: ResponseLike }>;
}

interface RequestLike {
  readonly hostname?: string;
  readonly path?: string;
  readonly body?: unknown;
}

/** Runs before each HTTP attempt is sent (the request budget); its wait is not part of the request's timeout. */
export type BeforeSend = (request: RequestLike, signal: AbortSignal | undefined) => Promise<void>;

interface HandlerOptions {
  abortSignal?: AbortSignal | { aborted: boolean; addEventListener?: unknown } | undefined;
  [key: string]: unknown;
}

interface ResponseLike {
  readonly statusCode: number;
  readonly headers: Record<string, string | undefined>;
  body: unknown;
}

/** What every EC2 request is held to. */
export interface RequestLimits {
  /** Whole request: connect, headers and body. */
  readonly requestTimeoutMs: number;
  /** Largest body accepted, counted while it streams. */
  readonly maxResponseBytes: number;
}

// The SDK's retry strategy repeats an error carrying this trait (as it does EC2's own 503s).
function transient(error: BrokerError): BrokerError {
  return Object.assign(error, { $retryable: {} });
}

/**
 * Wraps the SDK's request handler in place, so every EC2 request: ends (and its socket
 * with it) after `requestTimeoutMs` even when its body stalls; refuses a body over
 * `maxResponseBytes` while it streams; is not followed to a 3xx's Location (the handler
 * never follows one; this names the host instead of letting the XML parser misread the
 * page); and takes a 2xx that is not XML (a proxy's HTML page) as a retryable
 * `unavailable`, never as an empty answer (DescribeInstances would read "no such instance").
 */
export function guardRequestHandler(
  handler: RequestHandlerLike,
  limits: RequestLimits,
  beforeSend?: BeforeSend,
): void {
  const inner = handler.handle.bind(handler);
  handler.handle = async (request, options = {}) => {
    const what = `EC2 ${request.hostname ?? ''}`.trim();
    const outer = options.abortSignal as AbortSignal | undefined;
    await beforeSend?.(request, outer);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener?.('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      controller.abort(
        transient(
          new BrokerError('unavailable', `${what} request timed out after ${limits.requestTimeoutMs} ms`),
        ),
      );
    }, limits.requestTimeoutMs);
    timer.unref?.();
    const finish = (): void => {
      clearTimeout(timer);
      outer?.removeEventListener?.('abort', onAbort);
    };
    try {
      const result = await inner(request, { ...options, abortSignal: controller.signal });
      const { response } = result;
      const refusal = refusalOf(response, what, limits.maxResponseBytes);
      if (refusal) {
        (response.body as Readable | undefined)?.destroy?.();
        throw refusal;
      }
      // EC2 sends no Retry-After. One from a proxy would set the SDK's retry sleep, which no
      // signal can cut short: dropped, so the SDK's own (short) backoff applies.
      delete response.headers['retry-after'];
      response.body = capped(
        response.body as Readable,
        limits.maxResponseBytes,
        controller.signal,
        what,
        finish,
      );
      return result;
    } catch (error) {
      finish();
      // An abort by our own timer: its reason, not the handler's bare AbortError.
      throw controller.signal.aborted && !outer?.aborted ? controller.signal.reason : error;
    }
  };
}

function refusalOf(response: ResponseLike, what: string, maxBytes: number): BrokerError | undefined {
  const status = response.statusCode;
  if (status >= 300 && status <= 399) {
    let host = 'no Location';
    const location = response.headers.location;
    if (location) {
      try {
        host = `Location host ${new URL(location).host}`;
      } catch {
        host = 'an unreadable Location';
      }
    }
    return new BrokerError(
      'provider-error',
      `${what} answered ${status} redirecting to ${host}; redirects are not followed, so signed requests never leave the endpoint`,
      { statusCode: status },
    );
  }
  if (Number(response.headers['content-length']) > maxBytes) return tooLarge(what, maxBytes);
  const type = response.headers['content-type'] ?? '';
  if (status >= 200 && status <= 299 && /html/i.test(type)) {
    return transient(
      new BrokerError(
        'unavailable',
        `${what} returned an HTML page (${type}) with ${status}, not EC2's XML`,
        {
          statusCode: status,
        },
      ),
    );
  }
  return undefined;
}

function tooLarge(what: string, maxBytes: number): BrokerError {
  return new BrokerError(
    'provider-error',
    `${what}: the response body is larger than the ${maxBytes}-byte cap (the platform's maxResponseBytes)`,
    { retryable: false },
  );
}

// The body as the SDK reads it, counted; it fails (and its socket goes) on the cap or an abort.
function capped(
  body: Readable,
  maxBytes: number,
  signal: AbortSignal,
  what: string,
  finish: () => void,
): Readable {
  let size = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) callback(tooLarge(what, maxBytes));
      else callback(null, chunk);
    },
  });
  const onAbort = (): void => {
    counted.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const end = (): void => {
    signal.removeEventListener('abort', onAbort);
    finish();
  };
  counted.on('close', () => {
    end();
    if (!body.readableEnded) body.destroy();
  });
  body.on('error', (error) => counted.destroy(error));
  body.pipe(counted);
  return counted;
}
