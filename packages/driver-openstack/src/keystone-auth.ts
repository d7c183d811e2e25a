import { BrokerError, type BrokerEventInput, type Clock, isBrokerError } from '@hybrid-broker/core';
import { abortedError, systemClock } from '@hybrid-broker/core/driver-kit';
import type { OpenStackHttpClient, TokenProvider } from './http-client.js';
import { type KeystoneToken, parseTokenResponse, tokenRequest } from './keystone-request.js';
import type { KeystoneAuthConfig } from './openstack-config.js';

/** What a KeystoneAuth is built with. */
export interface KeystoneAuthOptions {
  readonly config: KeystoneAuthConfig;
  /** Sends Keystone's requests (they go out without a token of ours). */
  readonly http: OpenStackHttpClient;
  readonly clock?: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  /** Renew this long before `expires_at` (capped at half the token's life). Default 120 000 ms. */
  readonly renewBeforeMs?: number;
}

type Reason = 'initial' | 'expiring' | 'unauthorized';

/**
 * Keystone v3 tokens for one set of credentials: cached until shortly before
 * `expires_at`, issued single-flight (any number of concurrent callers cause
 * one token request), and renewed once after a 401 however many callers saw
 * it. One instance can serve several drivers (one per region of a cascading
 * cloud), since the token and its catalog are the same for all.
 */
export class KeystoneAuth implements TokenProvider<KeystoneToken> {
  readonly #options: KeystoneAuthOptions;
  readonly #clock: Clock;
  #current: KeystoneToken | undefined;
  #pending: Promise<KeystoneToken> | undefined;

  constructor(options: KeystoneAuthOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** A token valid for a while yet; issues one when there is none or it is about to expire. */
  token(signal?: AbortSignal): Promise<KeystoneToken> {
    const fresh = this.fresh();
    if (fresh) return Promise.resolve(fresh);
    return joinable(this.#issue(this.#current ? 'expiring' : 'initial'), signal);
  }

  /** The cached token when it is not about to expire; undefined when `token()` would issue one. */
  fresh(): KeystoneToken | undefined {
    const current = this.#current;
    return current && !this.#expiring(current) ? current : undefined;
  }

  /** A new token after `stale` was refused with a 401; callers holding the same stale token share one re-auth. */
  reauthenticate(stale: KeystoneToken, signal?: AbortSignal): Promise<KeystoneToken> {
    if (this.#pending) return joinable(this.#pending, signal);
    const current = this.#current;
    if (current && current !== stale) return Promise.resolve(current);
    this.#current = undefined;
    return joinable(this.#issue('unauthorized'), signal);
  }

  /** Forgets the cached token (the next call authenticates again). */
  invalidate(): void {
    this.#current = undefined;
  }

  /** The cached token, if any, without issuing one. */
  get cached(): KeystoneToken | undefined {
    return this.#current;
  }

  #expiring(token: KeystoneToken): boolean {
    const life = token.expiresAt - token.issuedAt;
    // A token shorter-lived than the margin would otherwise be renewed on every call.
    const margin = Math.min(this.#options.renewBeforeMs ?? 120_000, life / 2);
    return this.#clock.now() >= token.expiresAt - margin;
  }

  #issue(reason: Reason): Promise<KeystoneToken> {
    if (this.#pending) return this.#pending;
    this.#options.emit?.({ type: 'reauth', reason });
    // Not tied to any one caller's signal: other callers wait on the same request.
    const pending = this.#options.http
      .send(tokenRequest(this.#options.config, undefined))
      .then((response) => {
        const token = parseTokenResponse(response, this.#clock.now());
        this.#current = token;
        return token;
      }, refusedTokenIsAuthFailure)
      .finally(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    this.#pending = pending;
    return pending;
  }
}

/**
 * Keystone answers a token it does not know (revoked, expired, garbage) with
 * 404 "Failed to validate token" when validating it: for the caller that is a
 * refused credential, not a missing resource.
 */
function refusedTokenIsAuthFailure(error: unknown): never {
  if (isBrokerError(error, 'not-found')) {
    throw new BrokerError('auth-failed', `Keystone refused the token: ${error.message}`, {
      ...error.details(),
      retryable: false,
    });
  }
  throw error;
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
