import type { Secret } from '@hybrid-broker/core';

// The shapes the client, its response checks, its budget lanes and Keystone share; apart from
// the client so that none of them imports it back.

/** A token as the HTTP client needs it. */
export interface BearerToken {
  readonly value: Secret;
}

/** Gives tokens and renews one the cloud refused (see KeystoneAuth). */
export interface TokenProvider<T extends BearerToken = BearerToken> {
  /** A valid token, from cache when it is not about to expire. */
  token(signal?: AbortSignal): Promise<T>;
  /** A new token after `stale` got a 401; concurrent callers share one re-auth. */
  reauthenticate(stale: T, signal?: AbortSignal): Promise<T>;
  /**
   * The cached token when it is not about to expire, read without a promise: the hot path of
   * every request. Undefined sends the caller to `token()`, which issues or renews one.
   */
  fresh?(): T | undefined;
}

/** One request. */
export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL. */
  readonly url: string;
  /** Which service, for messages: `nova`, `cinder`, `glance`, `keystone`. */
  readonly service: string;
  /**
   * The catalog endpoint the URL is under. With the service and the verb it names the
   * limiter a throttled answer speaks for (see `budgetLane`); without it, the URL's host.
   */
  readonly endpoint?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  /**
   * Whether a repeat is safe after a lost response. Default: true for GET,
   * HEAD, PUT and DELETE. A non-idempotent request is still repeated after a
   * 429, since the service then did nothing.
   */
  readonly idempotent?: boolean;
  /** Skip the token (Keystone's own token requests). */
  readonly anonymous?: boolean;
}

/** A successful response with its JSON body parsed (undefined when empty). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly requestId: string | undefined;
}
