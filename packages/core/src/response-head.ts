import { BrokerError } from './errors.js';

/** The head of an HTTP response, as any transport can show it. */
export interface ResponseHead {
  readonly status: number;
  /** A header's value (names in lower case); undefined or null when absent. */
  header(name: string): string | null | undefined;
}

/** What the head is held to, and the words of its errors. */
export interface ResponseHeadRules {
  /** Names the request in messages: `DescribeInstances`, `nova GET https://...`. */
  readonly what: string;
  /** A declared `content-length` over this is refused before the body is read. */
  readonly maxBytes: number;
  /** The body the API sends, for the HTML message: `EC2's XML`, `ARM's JSON`. */
  readonly expectedBody: string;
  /** Why a redirect is not followed, ending the message: `the token never leaves the endpoint`. */
  readonly redirectNote: string;
  /** A relative `Location` is read against this URL; without it only an absolute one names a host. */
  readonly baseUrl?: string;
  /** Added to a redirect's error (the request id the answer carried). */
  readonly redirectDetails?: { readonly requestId?: string };
}

/**
 * The checks every transport makes on a response head before it reads the
 * body, written once:
 * - a 3xx is a `provider-error` naming the `Location` host (never its path or
 *   query): redirects are not followed, so credentials stay with the endpoint;
 * - a declared `content-length` over the cap is a `provider-error`, not retried;
 * - a 2xx HTML page (a proxy's or a captive portal's) is `unavailable`: the API
 *   was not what answered.
 * Undefined when the head passes.
 *
 * @example
 * const refusal = checkResponseHead(
 *   { status: res.statusCode ?? 0, header: (name) => res.headers[name] as string | undefined },
 *   { what, maxBytes, expectedBody: "ARM's JSON", redirectNote: 'the token never leaves the endpoint' },
 * );
 */
export function checkResponseHead(head: ResponseHead, rules: ResponseHeadRules): BrokerError | undefined {
  const { status } = head;
  if (status >= 300 && status <= 399) {
    return new BrokerError(
      'provider-error',
      `${rules.what} answered ${status} redirecting to ${locationHost(head.header('location'), rules.baseUrl)}; redirects are not followed, so ${rules.redirectNote}`,
      { statusCode: status, ...rules.redirectDetails },
    );
  }
  if (Number(head.header('content-length')) > rules.maxBytes)
    return responseTooLarge(rules.what, rules.maxBytes);
  const type = head.header('content-type') ?? '';
  if (status >= 200 && status <= 299 && /html/i.test(type)) {
    return new BrokerError(
      'unavailable',
      `${rules.what} returned an HTML page (${type}) with ${status}, not ${rules.expectedBody}`,
      { statusCode: status },
    );
  }
  return undefined;
}

/** The error of a body over the platform's `maxResponseBytes`, declared or counted while it streams. */
export function responseTooLarge(what: string, maxBytes: number): BrokerError {
  return new BrokerError(
    'provider-error',
    `${what}: the response body is larger than the ${maxBytes}-byte cap (the platform's maxResponseBytes)`,
    { retryable: false },
  );
}

function locationHost(location: string | null | undefined, base: string | undefined): string {
  if (location === undefined || location === null || (location === '' && base === undefined))
    return 'no Location';
  try {
    return `Location host ${new URL(location, base).host}`;
  } catch {
    return 'an unreadable Location';
  }
}
