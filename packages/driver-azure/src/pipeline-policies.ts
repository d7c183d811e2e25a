import type { ComputeManagementClient } from '@azure/arm-compute';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { BrokerEventInput } from '@hybrid-broker/core';
import { safeUrl } from '@hybrid-broker/core/driver-kit';
import { operationName } from './operation-name.js';

type AbortSignalLike = NonNullable<Parameters<TokenCredential['getToken']>[1]>['abortSignal'];

/** The SDK pipeline's policy type, taken from the client so no extra package is named. */
export type PipelinePolicy = Parameters<ComputeManagementClient['pipeline']['addPolicy']>[0];

/**
 * Emits one `request` event per HTTP attempt (method, URL without query,
 * status, duration, `x-ms-request-id`) and the ARM operation it was (`call`).
 * Placed per retry, so SDK retries show.
 */
export function requestEventsPolicy(
  emit: (event: BrokerEventInput) => void,
  now: () => number,
): PipelinePolicy {
  return {
    name: 'hybridBrokerRequestEvents',
    async sendRequest(request, next) {
      const started = now();
      const call = operationName(request.method, request.url);
      try {
        const response = await next(request);
        const requestId = response.headers.get('x-ms-request-id');
        emit({
          type: 'request',
          method: request.method,
          call,
          url: safeUrl(request.url),
          status: response.status,
          durationMs: now() - started,
          ...(requestId === undefined ? {} : { requestId }),
        });
        return response;
      } catch (error) {
        const failure = error as { code?: string; name?: string; statusCode?: number };
        emit({
          type: 'request',
          method: request.method,
          call,
          url: safeUrl(request.url),
          ...(typeof failure.statusCode === 'number' ? { status: failure.statusCode } : {}),
          durationMs: now() - started,
          error: failure.code ?? failure.name ?? 'Error',
        });
        throw error;
      }
    },
  };
}

/** The SDK's bearer policy's name, the same in both SDK generations. */
export const BEARER_POLICY_NAME = 'bearerTokenAuthenticationPolicy';

/**
 * A bearer-token policy for plain-http loopback endpoints (cloud-sim): the
 * SDK's own policy refuses any non-https URL, even with
 * `allowInsecureConnection`. Tokens are cached until a minute before expiry.
 */
export function loopbackBearerPolicy(credential: TokenCredential, scopes: string[]): PipelinePolicy {
  let cached: AccessToken | undefined;
  // Concurrent first calls share one getToken (single flight), as the SDK's own policy does.
  let pending: Promise<AccessToken> | undefined;
  const fresh = async (abortSignal: AbortSignalLike | undefined): Promise<AccessToken> => {
    if (cached && cached.expiresOnTimestamp - 60_000 >= Date.now()) return cached;
    pending ??= (async () => {
      try {
        const token = await credential.getToken(scopes, { abortSignal });
        if (!token) throw new Error('the credential returned no token');
        cached = token;
        return token;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
  return {
    name: 'hybridBrokerLoopbackBearer',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (!['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) {
        throw new Error('bearer tokens over plain http are only sent to loopback hosts');
      }
      const token = await fresh(request.abortSignal);
      request.headers.set('authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}
