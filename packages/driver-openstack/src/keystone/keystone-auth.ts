import { BrokerError, type BrokerEventInput, type Clock, isBrokerError } from '@hybrid-broker/core';
import { abortedError, retriesAutomatically, systemClock } from '@hybrid-broker/core/driver-kit';
import type { KeystoneAuthConfig } from '../common/openstack-config.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import type { TokenProvider } from '../http/http-types.js';
import { namingAuthFields } from './auth-fields.js';
import { type KeystoneToken, parseTokenResponse, tokenRequest } from './keystone-request.js';
import { RenewalBackoff } from './renewal-backoff.js';

/** What a KeystoneAuth is built with. */
export interface KeystoneAuthOptions {
  readonly config: KeystoneAuthConfig;
  /** Sends Keystone's requests (they go out without a token of ours). */
  readonly http: OpenStackHttpClient;
  readonly clock?: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  /** Renew this long before `expires_at` (capped at half the token's life). Default 120 000 ms. */
  readonly renewBeforeMs?: number;
  /** Where `config` came from, named in a refusal (e.g. `platforms.os.auth`). Default `auth`. */
  readonly authSource?: string | undefined;
}

type Reason = 'initial' | 'expiring' | 'unauthorized';

/** A token is not used closer than this to its expiry (capped at a tenth of its life). */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * Keystone v3 tokens for one set of credentials, issued single-flight (any
 * number of concurrent callers cause one token request) and renewed once
 * after a 401 however many callers saw it. One instance can serve several
 * drivers (one per region of a cascading cloud).
 *
 * Renewal is best-effort: inside the renewal window (`renewBeforeMs` before
 * `expires_at`) calls go on with the cached token while one renewal runs in
 * the background, so a Keystone outage costs nothing until the token really
 * expires. Failed renewals and failed issues share one backoff, so an outage
 * brings one attempt per backoff step, not one per call. A pre-issued token
 * (`method: 'token'`) cannot be renewed: it is validated once, trusted until
 * its `expires_at`, and then fails clearly without asking Keystone again.
 * Expiry is judged on Keystone's clock (see `KeystoneToken.clockSkewMs`).
 */
export class KeystoneAuth implements TokenProvider<KeystoneToken> {
  readonly #options: KeystoneAuthOptions;
  readonly #clock: Clock;
  readonly #backoff = new RenewalBackoff();
  readonly #renewable: boolean;
  #current: KeystoneToken | undefined;
  #pending: Promise<KeystoneToken> | undefined;
  /** A failure no request can mend (expired pre-issued token, unscoped token): given at once. */
  #final: BrokerError | undefined;
  /** Aborts the token request in flight (a background renewal included) on `close()`. */
  readonly #closing = new AbortController();

  constructor(options: KeystoneAuthOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#renewable = options.config.method !== 'token';
  }

  /** A usable token; issues one when there is none (or the cached one has expired). */
  token(signal?: AbortSignal): Promise<KeystoneToken> {
    const usable = this.fresh();
    if (usable) return Promise.resolve(usable);
    if (this.#final) return Promise.reject(this.#final);
    const current = this.#current;
    if (current && !this.#renewable) {
      this.#final = expired(current);
      return Promise.reject(this.#final);
    }
    return joinable(this.#issue(current ? 'expiring' : 'initial'), signal);
  }

  /**
   * The cached token while it is still valid (less a small margin); undefined when `token()`
   * must issue one. Inside the renewal window it starts one background renewal (under the
   * shared backoff) and still returns the cached token.
   */
  fresh(): KeystoneToken | undefined {
    const current = this.#current;
    if (!current) return undefined;
    const now = this.#clock.now() - current.clockSkewMs;
    const life = current.expiresAt - (current.issuedAt - current.clockSkewMs);
    if (now >= current.expiresAt - Math.min(EXPIRY_MARGIN_MS, life / 10)) return undefined;
    if (this.#renewable && now >= current.expiresAt - this.#renewMargin(life)) this.#renewInBackground();
    return current;
  }

  /** A new token after `stale` was refused with a 401; callers holding the same stale token share one re-auth. */
  reauthenticate(stale: KeystoneToken, signal?: AbortSignal): Promise<KeystoneToken> {
    if (this.#pending) return joinable(this.#pending, signal);
    if (this.#final) return Promise.reject(this.#final);
    const current = this.#current;
    if (current && current !== stale) return Promise.resolve(current);
    this.#current = undefined;
    return joinable(this.#issue('unauthorized'), signal);
  }

  /** Forgets the cached token (the next call authenticates again). */
  invalidate(): void {
    this.#current = undefined;
    this.#final = undefined;
  }

  /**
   * Ends the session: the token request in flight (a background renewal too)
   * is aborted, which destroys its socket and clears its timers, and no new one
   * is sent. Callers waiting for it get `aborted`. The driver's `close()` calls it.
   */
  close(): void {
    this.#closing.abort(new BrokerError('aborted', 'the Keystone session was closed', { retryable: false }));
  }

  /** The cached token, if any, without issuing one. */
  get cached(): KeystoneToken | undefined {
    return this.#current;
  }

  // A token shorter-lived than the margin would otherwise be renewed on every call.
  #renewMargin(life: number): number {
    return Math.min(this.#options.renewBeforeMs ?? 120_000, life / 2);
  }

  #renewInBackground(): void {
    if (this.#pending || !this.#backoff.mayTry(this.#clock.now())) return;
    // The outcome is kept (token or backoff step); callers meanwhile use the cached token.
    this.#issue('expiring').catch(() => {});
  }

  #issue(reason: Reason): Promise<KeystoneToken> {
    if (this.#pending) return this.#pending;
    if (this.#closing.signal.aborted) return Promise.reject(this.#closing.signal.reason);
    const now = this.#clock.now();
    const waited = this.#backoff.refusal(now);
    if (waited) return Promise.reject(waited);
    this.#options.emit?.({ type: 'reauth', reason });
    const config = this.#options.config;
    // Not tied to any one caller's signal (other callers wait on the same request); close() ends it.
    const request = tokenRequest(config, this.#closing.signal);
    const pending = this.#options.http
      .send(request)
      .then((response) => {
        // A GET validates a pre-issued token: its issued_at is long past, so only Date tells the skew.
        const token = parseTokenResponse(response, this.#clock.now(), request.method === 'POST');
        if (token.projectId === undefined) {
          this.#final = unscoped(config.method);
          throw this.#final;
        }
        this.#backoff.succeeded();
        this.#current = token;
        return token;
      })
      .catch((error: unknown) => {
        const failure = namingAuthFields(
          refusedTokenIsAuthFailure(error),
          config,
          this.#options.authSource ?? 'auth',
        );
        if (!this.#renewable && isBrokerError(failure, 'auth-failed')) this.#final = failure;
        else if (isBrokerError(failure) && retriesAutomatically(failure))
          this.#backoff.failed(this.#clock.now(), failure);
        throw failure;
      })
      .finally(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    this.#pending = pending;
    return pending;
  }
}

/** A pre-issued token past its expiry: no request can renew it. */
function expired(token: KeystoneToken): BrokerError {
  const at = new Date(token.expiresAt).toISOString();
  return new BrokerError(
    'auth-failed',
    `the pre-issued Keystone token (auth.token) expired at ${at} and cannot be renewed; configure a new token, or password or application-credential auth`,
    { field: 'auth.token', retryable: false },
  );
}

/** A token without a project has no catalog: say which setting gives it one. */
function unscoped(method: KeystoneAuthConfig['method']): BrokerError {
  const hint =
    method === 'token'
      ? 'issue a project-scoped token, or set auth.projectId or auth.projectName (with its domain) to rescope it'
      : 'set auth.projectId, or auth.projectName with its domain';
  return new BrokerError(
    'invalid-request',
    `Keystone issued a token scoped to no project (missing scope: auth.projectId or auth.projectName), so it has no service catalog; ${hint}`,
    { field: 'auth.projectId', retryable: false },
  );
}

/**
 * Keystone answers a token it does not know (revoked, expired, garbage) with
 * 404 "Failed to validate token" when validating it: for the caller that is a
 * refused credential, not a missing resource.
 */
function refusedTokenIsAuthFailure(error: unknown): unknown {
  if (isBrokerError(error, 'not-found')) {
    return new BrokerError('auth-failed', `Keystone refused the token: ${error.message}`, {
      ...error.details(),
      retryable: false,
    });
  }
  return error;
}

/** Waits for a shared promise, but lets this caller leave early when its own signal aborts. */
function joinable<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(abortedError(signal, 'authentication'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal, 'authentication'));
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
