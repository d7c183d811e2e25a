import { BrokerError } from '@hybrid-broker/core';
import { safeUrl } from '@hybrid-broker/core/driver-kit';
import type { HttpRequest, HttpResponse } from './http-client.js';
import type { ExchangeResponse } from './http-exchange.js';
import { requestIdOf } from './openstack-errors.js';

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

/** The JSON body of a response (undefined when empty); a body that is not JSON is a provider-error. */
export function parseBody(request: HttpRequest, response: ExchangeResponse): unknown {
  const text = response.text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    // A blank body is an empty one; checked only here, since trimming every body costs a copy.
    if (text.trim() === '') return undefined;
    const requestId = requestIdOfExchange(response);
    throw new BrokerError(
      'provider-error',
      `${request.service} ${request.method} ${safeUrl(request.url)} returned a body that is not JSON`,
      { cause: error, ...(requestId === undefined ? {} : { requestId }) },
    );
  }
}
