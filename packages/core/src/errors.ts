/**
 * The one error root of hybrid-broker. Every failure a driver reports is a
 * {@link BrokerError} whose `code` a program can branch on.
 */

import { redact } from './secret.js';

/**
 * What went wrong, independent of the cloud that said it. `retryable` on an
 * error means "a repeat of this call is safe and may succeed"; each code's
 * default, and when it holds:
 *
 * - `not-found`: the resource is not there. Not retryable: a repeat finds nothing either.
 * - `conflict`: another holder or request stands in the way (`heldBy`, a reused
 *   idempotency key). Not retryable: it must be cleared first.
 * - `invalid-state`: the resource is in a state the call cannot act on (a
 *   server not running, a volume in error). Not retryable until the state changes.
 * - `quota-exceeded`: a project limit. Not retryable until something is freed.
 * - `throttled`: the cloud asked to slow down. Retryable, after `retryAfterMs` when given.
 * - `auth-failed`: the credentials were refused. Not retryable.
 * - `forbidden`: the credentials may not do this. Not retryable.
 * - `invalid-request`: a field is wrong (`field` names it). Not retryable.
 * - `timeout`: a wait or the call's deadline ran out. Retryable: the change may
 *   still happen, and a repeat waits for it and converges (a createServer only
 *   with its idempotencyKey: without one a repeat makes a second server).
 * - `aborted`: the caller stopped the call. Not retryable: a repeat is safe, but
 *   the stop was the caller's choice, not a failure.
 * - `unavailable`: the cloud could not be reached or served 503. Retryable.
 * - `provider-error`: the cloud failed otherwise. Not retryable unless the driver
 *   knows the failure to be passing (a cut response body, a 5xx), then flagged so.
 * - `placement-failed`: no host could take the server. Not retryable until capacity changes.
 *
 * Whether the broker repeats a call by itself is a separate, narrower rule
 * (see `retriesAutomatically` in the driver kit): it never repeats a timeout.
 */
export type BrokerErrorCode =
  | 'not-found'
  | 'conflict'
  | 'invalid-state'
  | 'quota-exceeded'
  | 'throttled'
  | 'auth-failed'
  | 'forbidden'
  | 'invalid-request'
  | 'timeout'
  | 'aborted'
  | 'unavailable'
  | 'provider-error'
  | 'placement-failed';

/** Every code, for exhaustive tests and CLI exit-code tables. */
export const BROKER_ERROR_CODES: readonly BrokerErrorCode[] = [
  'not-found',
  'conflict',
  'invalid-state',
  'quota-exceeded',
  'throttled',
  'auth-failed',
  'forbidden',
  'invalid-request',
  'timeout',
  'aborted',
  'unavailable',
  'provider-error',
  'placement-failed',
];

/** Codes whose repeat is safe and may succeed unless the error says otherwise (see BrokerErrorCode). */
const RETRYABLE_BY_DEFAULT: ReadonlySet<BrokerErrorCode> = new Set(['throttled', 'unavailable', 'timeout']);

/** Optional facts an error carries beside its code and message. */
export interface BrokerErrorDetails {
  /** The underlying error (HTTP failure, SDK exception, ...). */
  readonly cause?: unknown;
  /** "A repeat of this call is safe and may succeed"; overrides the code's default (see BrokerErrorCode). */
  readonly retryable?: boolean;
  /** The provider's own error code, e.g. `itemNotFound`, `InvalidVolume.NotFound`. */
  readonly providerCode?: string;
  /** The provider's request id (`x-openstack-request-id`, EC2 RequestId, `x-ms-request-id`). */
  readonly requestId?: string;
  /** HTTP status of the failed response, when there was one. */
  readonly statusCode?: number;
  /** For `throttled`: how long the provider asked us to wait. */
  readonly retryAfterMs?: number;
  /** For waits: the last state seen before the wait ended. */
  readonly lastState?: unknown;
  /** For `invalid-request`: the path of the offending field, e.g. `platforms.os.auth.url`. */
  readonly field?: string;
  /** The platform (config name) the call went to. */
  readonly platform?: string;
  /** The broker operation, e.g. `attachVolume`. */
  readonly operation?: string;
  /** For a failed `moveVolume`: true when the volume was re-attached to its source server. */
  readonly rolledBack?: boolean;
  /** For a failed `moveVolume` whose rollback failed too: the rollback's error (`cause` is the attach's). */
  readonly rollbackError?: unknown;
  /** For `conflict` on an attach: the server (as the broker names it) that holds the volume. */
  readonly heldBy?: string;
}

const BRAND = Symbol.for('hybrid-broker.BrokerError');

/**
 * A failure with a machine-readable `code`.
 *
 * @example
 * try { await driver.attachVolume({ serverId, volumeId }); }
 * catch (e) { if (isBrokerError(e, 'invalid-request')) console.error(e.message); else throw e; }
 */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  readonly code: BrokerErrorCode;
  readonly retryable: boolean;
  readonly providerCode: string | undefined;
  readonly requestId: string | undefined;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly lastState: unknown;
  readonly field: string | undefined;
  readonly platform: string | undefined;
  readonly operation: string | undefined;
  readonly rolledBack: boolean | undefined;
  readonly rollbackError: unknown;
  readonly heldBy: string | undefined;

  constructor(code: BrokerErrorCode, message: string, details: BrokerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = details.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.providerCode = details.providerCode;
    this.requestId = details.requestId;
    this.statusCode = details.statusCode;
    this.retryAfterMs = details.retryAfterMs;
    this.lastState = details.lastState;
    this.field = details.field;
    this.platform = details.platform;
    this.operation = details.operation;
    this.rolledBack = details.rolledBack;
    this.rollbackError = details.rollbackError;
    this.heldBy = details.heldBy;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A copy with more context (platform, operation) filled in where missing. */
  withContext(context: { platform?: string; operation?: string }): BrokerError {
    if (
      (this.platform ?? context.platform) === this.platform &&
      (this.operation ?? context.operation) === this.operation
    ) {
      return this;
    }
    const copy = new BrokerError(this.code, this.message, {
      ...this.details(),
      platform: this.platform ?? context.platform,
      operation: this.operation ?? context.operation,
    });
    copy.stack = this.stack;
    return copy;
  }

  /** The details this error was built from. */
  details(): BrokerErrorDetails {
    return {
      cause: this.cause,
      retryable: this.retryable,
      providerCode: this.providerCode,
      requestId: this.requestId,
      statusCode: this.statusCode,
      retryAfterMs: this.retryAfterMs,
      lastState: this.lastState,
      field: this.field,
      platform: this.platform,
      operation: this.operation,
      rolledBack: this.rolledBack,
      rollbackError: this.rollbackError,
      ...(this.heldBy === undefined ? {} : { heldBy: this.heldBy }),
    };
  }

  /**
   * A plain object for logs and `--json` output, `lastState` included (secret-named fields
   * redacted). Never includes the cause's secrets: causes are not serialized.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      providerCode: this.providerCode,
      requestId: this.requestId,
      statusCode: this.statusCode,
      retryAfterMs: this.retryAfterMs,
      field: this.field,
      platform: this.platform,
      operation: this.operation,
      ...(this.rolledBack === undefined ? {} : { rolledBack: this.rolledBack }),
      ...(this.heldBy === undefined ? {} : { heldBy: this.heldBy }),
      // secret-named fields redacted; the CLI also cuts every known secret out of the text
      ...(this.lastState === undefined ? {} : { lastState: redact(this.lastState) }),
    };
  }
}

/**
 * True when `value` is a BrokerError (also across duplicated package copies),
 * optionally of one of the given codes.
 */
export function isBrokerError<C extends BrokerErrorCode>(
  value: unknown,
  ...codes: C[]
): value is BrokerError & { code: C } {
  if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
  return codes.length === 0 || codes.includes((value as unknown as BrokerError).code as C);
}

/** The first BrokerError in `error`'s cause chain, if any. */
export function findBrokerError(error: unknown): BrokerError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (isBrokerError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error (or a BrokerError in its cause chain) says a repeat of the call is safe and may succeed. */
export function isRetryable(error: unknown): boolean {
  return findBrokerError(error)?.retryable ?? false;
}

/** The error an aborted operation ends with. */
export function abortedError(signal: AbortSignal | undefined, what: string): BrokerError {
  const reason: unknown = signal?.reason;
  if (isBrokerError(reason)) return reason;
  return new BrokerError('aborted', `${what} was aborted`, { cause: reason });
}

/** Wraps anything thrown into a BrokerError, keeping BrokerErrors as they are. */
export function toBrokerError(error: unknown, fallbackMessage: string): BrokerError {
  const found = findBrokerError(error);
  if (found) return found;
  if (error instanceof Error && error.name === 'AbortError') {
    return new BrokerError('aborted', `${fallbackMessage}: aborted`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new BrokerError('provider-error', `${fallbackMessage}: ${detail}`, { cause: error });
}
