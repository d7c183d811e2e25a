import { BrokerError, type BrokerErrorCode, findBrokerError } from '@hybrid-broker/core';

/** What an SDK exception carries: EC2 throws one `EC2ServiceException` class and names the code in `name`. */
interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/** Request fields an EC2 error code points at, so `invalid-request` errors name the caller's field. */
const FIELD_BY_PREFIX: readonly (readonly [string, string])[] = [
  ['InvalidAMIID', 'image'],
  ['InvalidInstanceType', 'flavor'],
  ['InvalidSubnetID', 'networks'],
  ['InvalidGroup', 'securityGroups'],
  ['InvalidGroupId', 'securityGroups'],
  ['InvalidKeyPair', 'keyName'],
  ['InvalidAvailabilityZone', 'availabilityZone'],
  ['InvalidVolume.ZoneMismatch', 'volumeId'],
  ['InvalidInstanceID', 'serverId'],
  ['InvalidVolumeID', 'volumeId'],
  ['InvalidVolume', 'volumeId'],
];

const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'RequestThrottled']);
const AUTH = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ExpiredToken',
  'RequestExpired',
]);
const FORBIDDEN = new Set(['UnauthorizedOperation', 'Blocked', 'OptInRequired', 'PendingVerification']);
// A taken device name has no code of its own: EC2 answers InvalidParameterValue "Attachment point ... is
// already in use", which the attach path recognizes by its message (attach-send.ts).
const CONFLICT = new Set(['VolumeInUse', 'IdempotentParameterMismatch']);
const INVALID_STATE = new Set(['IncorrectState', 'IncorrectInstanceState', 'InvalidState']);
const UNAVAILABLE = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientCapacity',
  'InsufficientVolumeCapacity',
  'Unavailable',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
]);
const INVALID = new Set([
  'InvalidParameterValue',
  'InvalidParameter',
  'InvalidParameterCombination',
  'MissingParameter',
  'InvalidInput',
  'UnknownParameter',
  'InvalidVolume.ZoneMismatch',
]);
/** An id EC2 cannot even parse names nothing that exists: the caller asked for a missing resource. */
const MALFORMED_ID = new Set(['InvalidInstanceID.Malformed', 'InvalidVolumeID.Malformed']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Classifies an EC2 error name (`InvalidVolume.NotFound`, `RequestLimitExceeded`...) into a broker code. */
export function codeForEc2Error(name: string, status: number | undefined): BrokerErrorCode {
  if (THROTTLING.has(name)) return 'throttled';
  if (AUTH.has(name)) return 'auth-failed';
  if (FORBIDDEN.has(name)) return 'forbidden';
  if (name.endsWith('NotFound') || MALFORMED_ID.has(name)) return 'not-found';
  if (CONFLICT.has(name)) return 'conflict';
  if (INVALID_STATE.has(name)) return 'invalid-state';
  if (UNAVAILABLE.has(name)) return 'unavailable';
  if (name.endsWith('LimitExceeded')) return 'quota-exceeded';
  if (INVALID.has(name) || name.endsWith('.Malformed') || name.startsWith('Invalid'))
    return 'invalid-request';
  if (status !== undefined && status >= 500) return 'unavailable';
  if (status === 401) return 'auth-failed';
  if (status === 403) return 'forbidden';
  return 'provider-error';
}

/**
 * Turns anything the SDK threw into a BrokerError: the EC2 code goes to
 * `providerCode`, `$metadata` gives the request id and HTTP status. `what`
 * says which call failed ("DescribeVolumes vol-1"). The SDK has already
 * retried what it could, so nothing here is retried again by the driver.
 */
export function fromEc2Error(error: unknown, what: string): BrokerError {
  const found = findBrokerError(error);
  if (found) return found;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? 'Error';
  if (name === 'AbortError') return new BrokerError('aborted', `${what} was aborted`, { cause: error });
  const status = shape.$metadata?.httpStatusCode;
  const requestId = shape.$metadata?.requestId;
  if (status === undefined && shape.code !== undefined && NETWORK_CODES.has(shape.code)) {
    return new BrokerError(
      'unavailable',
      `${what} failed: ${shape.code} (${shape.message ?? 'network error'})`,
      {
        cause: error,
        providerCode: shape.code,
      },
    );
  }
  const code = codeForEc2Error(name, status);
  const field = code === 'invalid-request' || code === 'not-found' ? fieldFor(name) : undefined;
  const suffix = requestId === undefined ? name : `${name}, request ${requestId}`;
  return new BrokerError(code, `${what} failed: ${shape.message ?? name} (${suffix})`, {
    cause: error,
    providerCode: name,
    ...(requestId === undefined ? {} : { requestId }),
    ...(status === undefined ? {} : { statusCode: status }),
    ...(field === undefined ? {} : { field }),
  });
}

function fieldFor(name: string): string | undefined {
  return FIELD_BY_PREFIX.find(([prefix]) => name === prefix || name.startsWith(`${prefix}.`))?.[1];
}
