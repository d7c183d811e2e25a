import { BrokerError } from '@hybrid-broker/core';
import { checkResponseHead, safeUrl } from '@hybrid-broker/core/driver-kit';
import { requestIdOf } from '../common/openstack-errors.js';
import type { ExchangeResponse } from './http-exchange.js';
import type { HttpRequest, HttpResponse } from './http-types.js';

/**
 * A successful response with its parsed body, as the HTTP client returns it.
 * A class, not an object literal with a getter: V8 allocates such literals' accessor parts in
 * old space, where they kept every request's objects alive until the next full GC.
 */
export class ParsedResponse implements HttpResponse {
  readonly status: number;
  readonly #exchange: ExchangeResponse;

  constructor(
    exchange: ExchangeResponse,
    readonly body: unknown,
  ) {
    this.status = exchange.status;
    this.#exchange = exchange;
  }

  /** Read from the headers when asked: looking a header up costs microseconds with fetch's Headers. */
  get requestId(): string | undefined {
    return requestIdOfExchange(this.#exchange);
  }

  /** Read from the exchange only when a caller wants it (Keystone's X-Subject-Token). */
  get headers(): Headers {
    return this.#exchange.headers;
  }
}

/** `safeUrl`, without parsing the URL when it has nothing to strip (our URLs rarely do: catalog base + path). */
export function eventUrl(url: string): string {
  return url.includes('?') || url.includes('@') || url.includes('#') ? safeUrl(url) : url;
}

/** The request id (`x-openstack-request-id`, else `x-compute-request-id`) of an exchange. */
export function requestIdOfExchange(response: ExchangeResponse): string | undefined {
  return requestIdOf({ get: (name) => response.header(name) });
}

/**
 * The JSON body of a 2xx response (undefined when empty). An HTML page (a proxy's or a
 * captive portal's, sent with 200) is `unavailable`: the API was not what answered. Any
 * other body that is not JSON (one cut short) is a `provider-error`. Both are retryable,
 * never taken as a result.
 */
export function parseBody(request: HttpRequest, response: ExchangeResponse): unknown {
  const text = response.text;
  if (text.length === 0) return undefined;
  const what = `${request.service} ${request.method} ${safeUrl(request.url)}`;
  const type = response.header('content-type');
  if (type !== null && /html/i.test(type)) {
    throw new BrokerError('unavailable', `${what} returned an HTML page (${type}), not the API's JSON`, {
      statusCode: response.status,
      ...requestIdField(response),
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // A blank body is an empty one; checked only here, since trimming every body costs a copy.
    if (text.trim() === '') return undefined;
    throw new BrokerError('provider-error', `${what} returned a body that is not JSON`, {
      cause: error,
      retryable: true,
      statusCode: response.status,
      ...requestIdField(response),
    });
  }
}

/** A 3xx: `provider-error` naming the host it pointed to (the URL's path and query are left out). */
export function redirectError(request: HttpRequest, response: ExchangeResponse): BrokerError {
  const refusal = checkResponseHead(
    // Only the redirect rule applies here: the size cap and HTML checks are the transport's and parseBody's.
    { status: response.status, header: (name) => (name === 'location' ? response.header(name) : undefined) },
    {
      what: `${request.service} ${request.method} ${safeUrl(request.url)}`,
      maxBytes: Number.POSITIVE_INFINITY,
      expectedBody: "the API's JSON",
      redirectNote: "the token never leaves the endpoint's origin",
      baseUrl: request.url,
      redirectDetails: requestIdField(response),
    },
  );
  if (refusal) return refusal;
  throw new TypeError(`redirectError called for status ${response.status}`);
}

function requestIdField(response: ExchangeResponse): { requestId?: string } {
  const requestId = requestIdOfExchange(response);
  return requestId === undefined ? {} : { requestId };
}
