import type { IncomingHttpHeaders } from 'node:http';

/** What a service sees of a request before its body is read: enough to route it. */
export interface SimRequestHead {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** URL path without the query string, no trailing slash (except `/`). */
  readonly path: string;
  /** Parsed query string. */
  readonly query: URLSearchParams;
  /** Raw request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
}

/** How a fault rule asked the resource this request changes to behave. */
export interface TransitionFault {
  /** `stuck`: stay in the transitional state; `error`: end in an error state. */
  readonly outcome: 'stuck' | 'error';
  /** Overrides the status the resource ends (or sticks) in. */
  readonly status?: string;
}

/** Everything a route handler gets. */
export interface SimContext extends SimRequestHead {
  /** Placeholders captured from the route pattern, e.g. `{ id: '...' }`. */
  readonly params: Readonly<Record<string, string>>;
  /** The route key this request is counted under. */
  readonly routeKey: string;
  /** `req-<uuid>`, echoed in `x-openstack-request-id`. */
  readonly requestId: string;
  /** Set when a fault rule targets the state change this request starts. */
  readonly transition: TransitionFault | undefined;
  /** Origin of the simulator, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** The parsed JSON body; throws a 400 `SimError` when it is not JSON. `undefined` when empty. */
  json(): unknown;
}

/** A response a handler returns; the server adds the common headers. */
export interface SimReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route a service claimed for one request. */
export interface SimRoute {
  /** Count key: method and the route pattern, e.g. `GET /v3/auth/tokens`. */
  readonly key: string;
  /** Placeholders captured from the path. */
  readonly params: Readonly<Record<string, string>>;
  /** `false` keeps the route out of counts and faults (the admin API). */
  readonly instrumented?: boolean;
  /** Produces the response. Throw `SimError` for an API error. */
  handle(ctx: SimContext): SimReply | Promise<SimReply>;
}

/**
 * One emulated API (Keystone, Nova, an EC2 endpoint, ...). Services are tried in order;
 * the first whose `match` returns a route handles the request.
 *
 * @example
 * const ping: SimService = {
 *   name: 'ping',
 *   match: (req) => req.path === '/ping'
 *     ? { key: `${req.method} /ping`, params: {}, handle: () => ({ status: 200, body: { ok: true } }) }
 *     : undefined,
 *   formatError: (e) => ({ message: e.message }),
 * };
 */
export interface SimService {
  /** Short name, used in logs and error messages. */
  readonly name: string;
  /** Claims a request, or returns `undefined` to let the next service try. */
  match(req: SimRequestHead): SimRoute | undefined;
  /** Renders an error in this API's own body format (e.g. Nova's `{"itemNotFound":{...}}`). */
  formatError(error: SimError): unknown;
  /** Headers this API adds to every response it gives (e.g. a microversion echo). */
  responseHeaders?(req: SimRequestHead): Readonly<Record<string, string>>;
  /** Headers this API adds to an error response (e.g. a 401 challenge). */
  errorHeaders?(error: SimError, origin: string): Readonly<Record<string, string>>;
}

/** An API error a handler throws; the owning service renders its body. */
export class SimError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Seconds to advertise in `Retry-After` (throttling). */
  readonly retryAfterSeconds: number | undefined;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;

  /** @param status HTTP status @param message the message the real service would give */
  constructor(
    status: number,
    message: string,
    options: { retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'SimError';
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }
}
