import {
  BrokerError,
  type BrokerEventInput,
  type Clock,
  type FetchFn,
  isBrokerError,
  type RetryPolicy,
} from '@hybrid-broker/core';
import {
  abortedError,
  currentCall,
  type RequestBudget,
  retryAfterFailure,
  safeUrl,
  timeLeft,
} from '@hybrid-broker/core/driver-kit';
import { errorFromResponse } from '../common/openstack-errors.js';
import { budgetLane } from './budget-lane.js';
import { callTemplate } from './call-template.js';
import {
  type ExchangeControl,
  type ExchangeFn,
  type ExchangeResponse,
  exchangeFor,
} from './http-exchange.js';
import { eventUrl, ParsedResponse, parseBody, redirectError, requestIdOfExchange } from './http-response.js';
import type { BearerToken, HttpRequest, HttpResponse, TokenProvider } from './http-types.js';
import { RequestDeadlines, TIMED_OUT } from './request-deadlines.js';
import { DEFAULT_MAX_RESPONSE_BYTES, ResponseRefused } from './response-limits.js';

/** What the client is built with. */
export interface HttpClientOptions {
  /** Sends the requests; a node-http transport's fetch is used through its cheaper raw exchange. */
  readonly fetch: FetchFn;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** Timeout of one attempt: connect, headers and the whole body. */
  readonly requestTimeoutMs: number;
  /** Largest response body accepted, enforced while it streams. Default 16 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /** Where tokens come from; required unless every request is anonymous. */
  readonly auth?: TokenProvider | undefined;
  /**
   * The platform's request budget: every attempt (retries too) waits for a token, and a
   * throttled answer with Retry-After pauses every caller of the platform.
   */
  readonly budget?: RequestBudget | undefined;
}

// The retry policy's default cap on a Retry-After (see RetryPolicy.maxRetryAfterMs).
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

// Carries an error past the retry loop untouched: a lost response of a non-idempotent request must not be repeated.
class DoNotRetry {
  constructor(readonly error: unknown) {}
}

/** A 401: the token was refused (revoked, expired early), as opposed to a 403 or a bad password. */
function isRefusedToken(error: unknown): boolean {
  return isBrokerError(error, 'auth-failed') && error.statusCode === 401;
}

function unwrapDoNotRetry(error: unknown): never {
  throw error instanceof DoNotRetry ? error.error : error;
}

/**
 * fetch with what every OpenStack call needs: the token header, JSON in and
 * out, errors mapped from the services' bodies to BrokerErrors, a per-attempt
 * timeout, abort, `request` events, retries of idempotent requests (and of
 * 429s) and, on a 401, one shared re-auth and one repeat.
 */
export class OpenStackHttpClient {
  readonly #options: HttpClientOptions;
  readonly #exchange: ExchangeFn;
  readonly #deadlines: RequestDeadlines;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#exchange = exchangeFor(options.fetch);
    this.#deadlines = new RequestDeadlines(options.requestTimeoutMs);
  }

  /** Sends `request`, returning the parsed response or throwing a BrokerError. */
  send(request: HttpRequest): Promise<HttpResponse> {
    const signal = request.signal;
    if (signal?.aborted) return Promise.reject(abortedError(signal, `${request.method} ${request.service}`));
    // The usual case, a fresh cached token (or none needed), sends at once with one handler for
    // every failure; the re-auth and retry machinery is set up only when there is one.
    const auth = this.#options.auth;
    const anonymous = request.anonymous || !auth;
    const token = anonymous ? undefined : auth.fresh?.();
    if (!anonymous && !token) return this.#authorized(request).catch((e: unknown) => this.#retry(request, e));
    return this.#once(request, token).catch((error: unknown) =>
      auth && token && isRefusedToken(error)
        ? this.#renewed(request, auth, token).catch((e: unknown) => this.#retry(request, e))
        : this.#retry(request, error),
    );
  }

  // After a failed first attempt: repeats what may be repeated, under the retry policy.
  #retry(request: HttpRequest, error: unknown): Promise<HttpResponse> {
    const idempotent = request.idempotent ?? request.method !== 'POST';
    // A lost response of a non-idempotent request must not be repeated; a 429 means nothing was done.
    if (!idempotent && !isBrokerError(error, 'throttled')) return Promise.reject(error);
    return retryAfterFailure(
      {
        operation: `${request.method} ${request.service}`,
        idempotent: true,
        policy: this.#options.retry,
        signal: request.signal,
        clock: this.#options.clock,
        ...(this.#options.emit ? { emit: this.#options.emit } : {}),
      },
      idempotent ? () => this.#authorized(request) : () => this.#repeatNonIdempotent(request),
      error,
    ).catch(unwrapDoNotRetry);
  }

  // A repeat of a non-idempotent request (after a 429): only a further 429 may be repeated again.
  async #repeatNonIdempotent(request: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.#authorized(request);
    } catch (error) {
      if (!isBrokerError(error, 'throttled')) throw new DoNotRetry(error);
      throw error;
    }
  }

  // Promise chains rather than async functions below: every request passes here, and each
  // async frame costs its own promise and microtasks.
  #authorized(request: HttpRequest): Promise<HttpResponse> {
    const auth = this.#options.auth;
    if (request.anonymous || !auth) return this.#once(request, undefined);
    // A fresh cached token is taken without awaiting a promise (most requests).
    const fresh = auth.fresh?.();
    if (fresh) return this.#onceRenewingOn401(request, auth, fresh);
    return auth.token(request.signal).then((token) => this.#onceRenewingOn401(request, auth, token));
  }

  #onceRenewingOn401(request: HttpRequest, auth: TokenProvider, token: BearerToken): Promise<HttpResponse> {
    return this.#once(request, token).catch((error: unknown) => {
      if (!isRefusedToken(error)) throw error;
      return this.#renewed(request, auth, token);
    });
  }

  // After a 401: one re-auth shared with every concurrent caller, then one repeat.
  #renewed(request: HttpRequest, auth: TokenProvider, stale: BearerToken): Promise<HttpResponse> {
    return auth.reauthenticate(stale, request.signal).then((renewed) => this.#once(request, renewed));
  }

  #once(request: HttpRequest, token: BearerToken | undefined): Promise<HttpResponse> {
    const budget = this.#options.budget;
    if (!budget) return this.#attempt(request, token);
    const lane = budgetLane(request);
    return budget.take(request.signal, undefined, lane).then(() =>
      this.#attempt(request, token).catch((error: unknown) => {
        // The cloud's limiter spoke for every caller that meets it: all of them wait what this
        // call's retry will wait. A Retry-After the call will not honour (past the policy's cap or
        // its deadline) ends the call instead, and pauses nobody.
        const wait = isBrokerError(error, 'throttled') ? error.retryAfterMs : undefined;
        const cap = this.#options.retry?.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
        if (wait !== undefined && wait <= cap && wait < timeLeft(request.signal)) budget.pause(wait, lane);
        throw error;
      }),
    );
  }

  #attempt(request: HttpRequest, token: BearerToken | undefined): Promise<HttpResponse> {
    // Copied key by key: a spread followed by more keys costs more than the copy on every request.
    const headers: Record<string, string> = { Accept: 'application/json' };
    const extra = request.headers;
    if (extra) for (const key in extra) headers[key] = extra[key] as string;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers['X-Auth-Token'] = token.value.reveal();
    // One global request id per broker operation (oslo.middleware request_id), so Nova's and Cinder's logs join it.
    const call = currentCall();
    if (call) headers['X-OpenStack-Request-ID'] = call.globalRequestId;
    const started = this.#options.clock.now();
    // The timeout races the exchange instead of aborting it through a fresh AbortController:
    // creating an AbortSignal costs more than the rest of a request on Node 20. A timed-out
    // exchange is ended through its control (the transport destroys its socket).
    const control: ExchangeControl = { cancel: undefined };
    let exchange: Promise<ExchangeResponse>;
    try {
      exchange = this.#exchange({
        method: request.method,
        url: request.url,
        headers,
        signal: request.signal,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        maxBytes: this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        control,
      });
    } catch (error) {
      exchange = Promise.reject(error);
    }
    return this.#deadlines.race(exchange, control).then(
      (response) => this.#received(request, response, started),
      (error: unknown) => {
        const failure = this.#networkError(request, error, error === TIMED_OUT);
        this.#options.emit?.({
          type: 'request',
          method: request.method,
          call: callTemplate(request.method, request.url),
          url: eventUrl(request.url),
          durationMs: this.#options.clock.now() - started,
          error: failure.code,
        });
        throw failure;
      },
    );
  }

  #received(request: HttpRequest, response: ExchangeResponse, started: number): HttpResponse {
    const { clock, emit } = this.#options;
    if (emit) {
      const requestId = requestIdOfExchange(response);
      emit({
        type: 'request',
        method: request.method,
        call: callTemplate(request.method, request.url),
        url: eventUrl(request.url),
        status: response.status,
        durationMs: clock.now() - started,
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
    // A redirect is never followed (the token would go along): fetch is asked not to, and
    // node:http never does. It ends the request, naming where it pointed.
    if (response.status >= 300 && response.status <= 399) throw redirectError(request, response);
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse({
        service: request.service,
        method: request.method,
        url: request.url,
        status: response.status,
        headers: response.headers,
        bodyText: response.text,
        now: clock.now(),
      });
    }
    return new ParsedResponse(response, parseBody(request, response));
  }

  #networkError(request: HttpRequest, error: unknown, timedOut: boolean): BrokerError {
    if (request.signal?.aborted)
      return abortedError(request.signal, `${request.method} ${safeUrl(request.url)}`);
    const what = `${request.service} ${request.method} ${safeUrl(request.url)}`;
    if (error instanceof ResponseRefused) {
      return new BrokerError(
        'provider-error',
        `${what}: ${error.message} (the platform's maxResponseBytes); refused while it streamed`,
        { cause: error, retryable: false },
      );
    }
    if (timedOut) {
      return new BrokerError('unavailable', `${what} timed out after ${this.#options.requestTimeoutMs} ms`, {
        cause: error,
      });
    }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail =
      typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'error';
    return new BrokerError('unavailable', `${what} failed before a response: ${detail}`, { cause: error });
  }
}
