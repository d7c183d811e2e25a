/** An error response with a given status; the body defaults to the service's own error format. */
export interface ErrorFault {
  readonly type: 'error';
  /** HTTP status, e.g. 500 or 409. */
  readonly status: number;
  /** Message inside the service's error body. */
  readonly message?: string;
  /** A literal body that replaces the service's error body. */
  readonly body?: unknown;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Rate limiting: `overLimit` body and a `Retry-After` header. */
export interface ThrottleFault {
  readonly type: 'throttle';
  /** 429 (default), or 413/403 as older Nova rate limiting did. */
  readonly status?: number;
  /** Seconds in `Retry-After` and `retryAfter` (default 1). */
  readonly retryAfterSeconds?: number;
  /** Message inside the error body. */
  readonly message?: string;
}

/** 503 Service Unavailable in the service's error format. */
export interface UnavailableFault {
  readonly type: 'unavailable';
  /** Message inside the error body. */
  readonly message?: string;
}

/** Delays the request, then lets it (or a later rule) proceed. */
export interface LatencyFault {
  readonly type: 'latency';
  /** Added delay in milliseconds. */
  readonly ms: number;
}

/**
 * Holds each matching request until `count` of them have arrived, then lets them all go on
 * together: the requests of racing clients are answered only once every racer has asked, so a
 * race a test means to run happens however the machine schedules the clients. A request held
 * `maxMs` goes on alone.
 */
export interface RendezvousFault {
  readonly type: 'rendezvous';
  /** How many matching requests meet. */
  readonly count: number;
  /** The longest a request is held. */
  readonly maxMs: number;
}

/** Destroys the TCP connection without a response (ECONNRESET / "socket hang up" at the client). */
export interface ResetFault {
  readonly type: 'reset';
}

/** Revokes the request's `X-Auth-Token` before it is checked, so the call fails 401. */
export interface RevokeTokenFault {
  readonly type: 'revoke-token';
}

/** The resource this request changes stays in its transitional state (e.g. `attaching`, `BUILD`). */
export interface StuckFault {
  readonly type: 'stuck';
  /** Overrides the transitional status it sticks in. */
  readonly status?: string;
}

/** The resource this request changes ends in an error state (`ERROR`, `error`, `error_attaching`...). */
export interface ErrorStateFault {
  readonly type: 'error-state';
  /** Overrides the error status it ends in. */
  readonly status?: string;
}

/**
 * A reply no API sends but a network in between does: a proxy's HTML page with 200, a
 * redirect to another host, a body cut short, stalled after the headers or far too large.
 */
export interface WireFault {
  readonly type: 'wire';
  /** HTTP status (default 200). */
  readonly status?: number;
  /** Response headers (a `content-type`, a `location`, a raw `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, sent as is (default empty). */
  readonly body?: string;
  /** Pads the body with spaces to this many bytes, streamed in 64 KiB chunks (an oversized body). */
  readonly padToBytes?: number;
  /** Sends no `content-length` (chunked): the client learns the size only by reading. */
  readonly chunked?: boolean;
  /**
   * After the body: `end` (default); `stall` sends nothing more and keeps the socket open
   * until the client gives up or the simulator stops; `cut` destroys the socket under a
   * `content-length` that promised more (a truncated body).
   */
  readonly ending?: 'end' | 'stall' | 'cut';
}

/** What a fault rule does when it fires. */
export type FaultAction =
  | ErrorFault
  | ThrottleFault
  | UnavailableFault
  | LatencyFault
  | RendezvousFault
  | ResetFault
  | RevokeTokenFault
  | StuckFault
  | ErrorStateFault
  | WireFault;

/**
 * A fault injected into matching requests.
 *
 * @example
 * // the second and third attach calls fail with a 409
 * sim.faults.add({
 *   method: 'POST',
 *   path: '/compute/{region}/v2.1/{project}/servers/{id}/os-volume_attachments',
 *   skip: 1, times: 2,
 *   action: { type: 'error', status: 409, message: 'busy' },
 * });
 */
export interface FaultRule {
  /** Id to remove it by; assigned when omitted. */
  readonly id?: string;
  /** HTTP method to match; any when omitted or `*`. */
  readonly method?: string;
  /**
   * Path pattern (see `pathMatches`): literals, `*` for one segment, `{name}` for a route
   * placeholder, trailing `**` for the rest. Any path when omitted.
   */
  readonly path?: string;
  /** What happens. */
  readonly action: FaultAction;
  /** Fire this many times, then stop. Unlimited when omitted. */
  readonly times?: number;
  /** Let this many matching requests through before firing. */
  readonly skip?: number;
  /** Chance in [0, 1] of firing per matching request, drawn from the seeded random. Default 1. */
  readonly probability?: number;
}

/** A rule as stored, with its bookkeeping. */
export interface FaultRuleStatus extends FaultRule {
  readonly id: string;
  /** Matching requests seen so far. */
  readonly seen: number;
  /** Times it fired so far. */
  readonly fired: number;
}
