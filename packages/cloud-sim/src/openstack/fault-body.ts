import type { SimError } from '../service.js';

/** Keystone's and keystonemiddleware's 401 challenge: `WWW-Authenticate: Keystone uri="<v3 url>"`. */
export function keystoneChallenge(error: SimError, origin: string): Record<string, string> {
  return error.status === 401 ? { 'www-authenticate': `Keystone uri="${origin}/v3"` } : {};
}

/** The fault names Nova and Cinder wrap error messages in, by status (their `wsgi.Fault` map). */
const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** Keystone's titles for its `{"error":{code,message,title}}` bodies. */
const KEYSTONE_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The message keystonemiddleware and Keystone give for a missing or bad token. */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

/**
 * Nova/Cinder error body: `{"itemNotFound":{"code":404,"message":"..."}}`; rate limits add
 * `retryAfter`. A 401 comes from keystonemiddleware in front of them, so it has Keystone's shape.
 */
export function novaStyleError(error: SimError): unknown {
  if (error.status === 401) return keystoneStyleError(error);
  // Rate limiting is `overLimit` whatever the status (413, 429, or 403 on older clouds).
  const name =
    error.retryAfterSeconds !== undefined ? 'overLimit' : (FAULT_NAMES[error.status] ?? 'computeFault');
  const fault: Record<string, unknown> = { code: error.status, message: error.message };
  if (error.retryAfterSeconds !== undefined) fault.retryAfter = String(error.retryAfterSeconds);
  return { [name]: fault };
}

/** Keystone error body: `{"error":{"code":401,"message":"...","title":"Unauthorized"}}`. */
export function keystoneStyleError(error: SimError): unknown {
  return {
    error: { code: error.status, message: error.message, title: KEYSTONE_TITLES[error.status] ?? 'Error' },
  };
}
