import { BrokerError, type BrokerErrorCode } from '@hybrid-broker/core';
import { parseRetryAfter, safeUrl } from '@hybrid-broker/core/driver-kit';
import { fieldOfRefusal } from './error-fields.js';

/** The failed HTTP exchange an error is built from. */
export interface FailedResponse {
  /** Which service answered, for the message: `nova`, `cinder`, `keystone`. */
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  /** The raw body text (JSON, HTML or nothing). */
  readonly bodyText: string;
  readonly now: number;
}

interface Fault {
  readonly providerCode: string | undefined;
  readonly message: string | undefined;
  readonly retryAfter: string | undefined;
}

// Nova and Cinder report a 409 both for a real conflict and for "not in a state for that"; the text tells.
const STATE_CONFLICT =
  /while it is in|in (vm_|task_)?state|status must be|must be (available|in-use)|invalid volume/i;
const QUOTA = /quota|exceed|limit/i;
// Cinder's and Nova's rate limiters: 413 (or 429) "This request was rate-limited." with Retry-After.
const RATE_LIMITED = /rate.?limit/i;

/**
 * Maps a failed OpenStack response to a BrokerError. Reads the fault body of
 * every service (Nova/Cinder `{"itemNotFound": {"code", "message"}}`,
 * Keystone `{"error": {...}}`, Neutron `{"NeutronError": {...}}`, HTML or
 * plain text pages from proxies) and keeps the provider code, the
 * `x-openstack-request-id`, the status and Retry-After.
 */
export function errorFromResponse(response: FailedResponse): BrokerError {
  const fault = readFault(response.bodyText);
  const requestId = requestIdOf(response.headers);
  const retryAfterMs =
    parseRetryAfter(response.headers.get('retry-after'), response.now) ??
    parseRetryAfter(fault.retryAfter, response.now);
  const code = codeFor(response.status, fault, retryAfterMs);
  const what = `${response.service} ${response.method} ${safeUrl(response.url)}`;
  const detail = fault.message ?? (response.bodyText.trim() === '' ? 'no body' : 'unreadable body');
  const providerCode = fault.providerCode;
  const field = code === 'invalid-request' ? fieldOfRefusal(fault.message) : undefined;
  return new BrokerError(
    code,
    `${what} failed: ${response.status}${providerCode ? ` ${providerCode}` : ''}: ${detail}${requestId ? ` (request ${requestId})` : ''}`,
    {
      statusCode: response.status,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(field === undefined ? {} : { field }),
    },
  );
}

/** The request id OpenStack services return (compute also sends the older x-compute-request-id). */
export function requestIdOf(headers: Pick<Headers, 'get'>): string | undefined {
  return headers.get('x-openstack-request-id') ?? headers.get('x-compute-request-id') ?? undefined;
}

function codeFor(status: number, fault: Fault, retryAfterMs: number | undefined): BrokerErrorCode {
  const text = fault.message ?? '';
  switch (status) {
    case 400:
      return 'invalid-request';
    case 401:
      return 'auth-failed';
    case 403:
      return fault.providerCode === 'overLimit' || /quota exceeded/i.test(text)
        ? 'quota-exceeded'
        : 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return STATE_CONFLICT.test(text) ? 'invalid-state' : 'conflict';
    case 413:
      return RATE_LIMITED.test(text) || (retryAfterMs !== undefined && !QUOTA.test(text))
        ? 'throttled'
        : 'quota-exceeded';
    case 429:
      return 'throttled';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return status >= 400 && status < 500 ? 'invalid-request' : 'provider-error';
  }
}

function readFault(text: string): Fault {
  const none: Fault = { providerCode: undefined, message: undefined, retryAfter: undefined };
  const trimmed = text.trim();
  if (trimmed === '') return none;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { ...none, message: `malformed JSON body: ${snippet(trimmed)}` };
    }
    return faultOfJson(parsed) ?? { ...none, message: snippet(trimmed) };
  }
  // HTML error pages (Glance, proxies): the title or the text without tags says enough.
  const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1];
  return { ...none, message: snippet(title ?? trimmed.replace(/<[^>]*>/g, ' ')) };
}

function faultOfJson(parsed: unknown): Fault | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  // Nova, Cinder, Keystone and Neutron each wrap the fault in one top-level key.
  const [key, inner] = entries.length === 1 ? (entries[0] as [string, unknown]) : ['', parsed];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const body = inner as Record<string, unknown>;
  const message = [body.message, body.detail, body.title].find((v) => typeof v === 'string' && v !== '');
  const type = typeof body.type === 'string' ? body.type : undefined;
  const providerCode =
    key === 'error' || key === 'NeutronError' || key === '' ? (type ?? titleCode(body)) : key;
  const retryAfter = body.retryAfter;
  return {
    providerCode,
    message: typeof message === 'string' ? surfaceNested(message) : undefined,
    retryAfter:
      typeof retryAfter === 'string' || typeof retryAfter === 'number' ? String(retryAfter) : undefined,
  };
}

// Nova passes a Cinder refusal on inside its own message: "Invalid input received: <cinder's
// message> (HTTP 400) (Request-ID: req-...)". The request id is Cinder's, not Nova's.
const NESTED =
  /^(?:Invalid input received: )?(.*?)\s*\(HTTP (\d{3})\)\s*\(Request-ID: (req-[0-9a-f-]+)\)\s*$/s;

/** The message, with a nested Cinder answer made plain: its text in full, then its status and request id. */
function surfaceNested(message: string): string {
  const nested = NESTED.exec(message);
  if (!nested) return snippet(message);
  return `${snippet(nested[1] ?? '')} (from cinder: ${nested[2]}, cinder request ${nested[3]})`;
}

function titleCode(body: Record<string, unknown>): string | undefined {
  return typeof body.title === 'string' ? body.title.replace(/\s+/g, '') : undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}
