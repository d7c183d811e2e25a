import { BrokerError, type BrokerErrorCode, findBrokerError } from '@hybrid-broker/core';
import { parseRetryAfter } from '@hybrid-broker/core/driver-kit';
import { fieldOfArmRefusal } from './error-fields.js';

/** The subset of the SDK's RestError this driver reads (both SDK generations throw this shape). */
interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

function isRestError(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError';
}

// core-lro ends a failed operation with a plain Error: "The long-running operation has failed. <code>. <message>"
const LRO_FAILED = /^The long-running operation has failed\.\s*([^.\s]+)\.\s*([\s\S]*)$/;

/** Classifies an ARM error code (and status) into a broker code; pure, so it is tested on its own. */
export function classifyArmError(
  code: string | undefined,
  status: number | undefined,
  message = '',
): BrokerErrorCode {
  const c = (code ?? '').toLowerCase();
  if (status === 429 || c === 'toomanyrequests') return 'throttled';
  // "The maximum number of data disks allowed to be attached to a VM of this size is 8" (OperationNotAllowed, 409)
  if (
    c.includes('quota') ||
    (c === 'operationnotallowed' && /quota|maximum number of data disks/i.test(message))
  )
    return 'quota-exceeded';
  if (['resourcenotfound', 'notfound', 'resourcegroupnotfound', 'parentresourcenotfound'].includes(c))
    return 'not-found';
  if (['authenticationfailed', 'invalidauthenticationtoken', 'expiredauthenticationtoken'].includes(c))
    return 'auth-failed';
  if (['authorizationfailed', 'linkedauthorizationfailed', 'forbidden'].includes(c)) return 'forbidden';
  if (['conflict', 'operationnotallowed', 'preconditionfailed', 'attachdiskwhilebeingdetached'].includes(c))
    return 'conflict';
  if (['invalidparameter', 'badrequest', 'invalidrequestformat', 'invalidrequestcontent'].includes(c))
    return 'invalid-request';
  if (status === 404) return 'not-found';
  if (status === 401) return 'auth-failed';
  if (status === 403) return 'forbidden';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 400) return 'invalid-request';
  if (status !== undefined && status >= 500) return 'unavailable';
  return 'provider-error';
}

/**
 * Turns whatever the SDK threw into a BrokerError with ARM's code, status,
 * `x-ms-request-id` and Retry-After. `what` says which call failed.
 */
export function toAzureError(error: unknown, what: string): BrokerError {
  const found = findBrokerError(error);
  if (found) return found;
  if (error instanceof Error && error.name === 'AbortError') {
    return new BrokerError('aborted', `${what} was aborted`, { cause: error });
  }
  if (isRestError(error)) {
    const requestId = error.response?.headers?.get('x-ms-request-id');
    const status = error.statusCode;
    const code = classifyArmError(error.code, status, error.message);
    const retryAfterMs = parseRetryAfter(error.response?.headers?.get('retry-after'));
    const label = error.code ?? (status === undefined ? 'network error' : `HTTP ${status}`);
    const field = code === 'invalid-request' ? fieldOfArmRefusal(error.message) : undefined;
    return new BrokerError(code, `${what}: ${label}: ${error.message}`, {
      ...(field === undefined ? {} : { field }),
      cause: error,
      ...(error.code === undefined ? {} : { providerCode: error.code }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(status === undefined ? {} : { statusCode: status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      // a connection failure (no status) is worth another try, as 5xx are
      ...(status === undefined ? { retryable: true } : {}),
    });
  }
  if (error instanceof Error) {
    const lro = LRO_FAILED.exec(error.message);
    if (lro) {
      const [, providerCode = 'Failed', text = ''] = lro;
      return new BrokerError(
        classifyArmError(providerCode, undefined, text),
        `${what}: ${providerCode}: ${text}`,
        {
          cause: error,
          providerCode,
        },
      );
    }
    // @azure/identity: CredentialUnavailableError, AuthenticationError, AuthenticationRequiredError...
    if (/Credential|Authentication/.test(error.name)) {
      return new BrokerError('auth-failed', `${what}: could not get an Entra ID token: ${error.message}`, {
        cause: error,
        providerCode: error.name,
      });
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new BrokerError('provider-error', `${what}: ${detail}`, { cause: error });
}
