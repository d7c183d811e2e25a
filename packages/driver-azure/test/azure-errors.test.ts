import { describe, expect, it } from 'vitest';
import { classifyArmError, toAzureError } from '../src/azure-errors.js';

describe('ARM error classification', () => {
  it.each([
    ['ResourceNotFound', 404, '', 'not-found'],
    ['NotFound', 404, '', 'not-found'],
    ['Conflict', 409, '', 'conflict'],
    ['OperationNotAllowed', 409, 'Another operation is in progress', 'conflict'],
    ['OperationNotAllowed', 409, 'exceeding approved standardDSv3Family Cores quota', 'quota-exceeded'],
    ['QuotaExceeded', 400, '', 'quota-exceeded'],
    ['TooManyRequests', 429, '', 'throttled'],
    [undefined, 429, '', 'throttled'],
    ['AuthorizationFailed', 403, '', 'forbidden'],
    ['AuthenticationFailed', 401, '', 'auth-failed'],
    ['InvalidAuthenticationToken', 401, '', 'auth-failed'],
    ['InvalidParameter', 400, '', 'invalid-request'],
    ['PreconditionFailed', 412, '', 'conflict'],
    ['InternalServerError', 500, '', 'unavailable'],
    ['OSProvisioningClientError', undefined, '', 'provider-error'],
  ] as const)('%s (HTTP %s %s) is %s', (code, status, message, expected) => {
    expect(classifyArmError(code, status, message)).toBe(expected);
  });

  it('a failed long-running operation keeps ARM code and message', () => {
    const error = toAzureError(
      new Error(
        'The long-running operation has failed. AllocationFailed. Allocation failed. Please try later.',
      ),
      'creating VM x',
    );
    expect(error).toMatchObject({ code: 'provider-error', providerCode: 'AllocationFailed' });
    expect(error.message).toBe('creating VM x: AllocationFailed: Allocation failed. Please try later.');
  });

  it('an AbortError becomes aborted', () => {
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(toAzureError(abort, 'polling').code).toBe('aborted');
  });
});
