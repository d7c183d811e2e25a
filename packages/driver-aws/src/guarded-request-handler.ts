import { type Readable, Transform } from 'node:stream';
import { BrokerError } from '@hybrid-broker/core';
import { checkResponseHead, responseTooLarge } from '@hybrid-broker/core/driver-kit';

/** The part of the SDK's request handler (NodeHttpHandler) the guard wraps. */
export interface RequestHandlerLike {
  handle(request: RequestLike, options?: HandlerOptions): Promise<{ response: ResponseLike }>;
}

interface RequestLike {
  readonly hostname?: string;
  readonly path?: string;
}

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
export function guardRequestHandler(handler: RequestHandlerLike, limits: RequestLimits): void {
  const inner = handler.handle.bind(handler);
  handler.handle = async (request, options = {}) => {
    const what = `EC2 ${request.hostname ?? ''}`.trim();
    const controller = new AbortController();
    const outer = options.abortSignal as AbortSignal | undefined;
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
      // EC2 sends no Retry-After. One from a proxy is dropped: the retry strategy's own
      // (short, jittered) backoff applies.
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
  const refusal = checkResponseHead(
    { status: response.statusCode, header: (name) => response.headers[name] },
    {
      what,
      maxBytes,
      expectedBody: "EC2's XML",
      redirectNote: 'signed requests never leave the endpoint',
    },
  );
  // An HTML page is worth another try: marked so the SDK's classification retries it.
  return refusal?.code === 'unavailable' ? transient(refusal) : refusal;
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
      if (size > maxBytes) callback(responseTooLarge(what, maxBytes));
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
