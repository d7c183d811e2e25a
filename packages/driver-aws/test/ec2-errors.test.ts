import { describe, expect, it } from 'vitest';
import { codeForEc2Error, fromEc2Error } from '../src/ec2-errors.js';

describe('EC2 error mapping', () => {
  it.each([
    ['InvalidInstanceID.NotFound', 'not-found'],
    ['InvalidVolume.NotFound', 'not-found'],
    ['InvalidInstanceID.Malformed', 'invalid-request'],
    ['IncorrectState', 'invalid-state'],
    ['IncorrectInstanceState', 'invalid-state'],
    ['VolumeInUse', 'conflict'],
    ['IdempotentParameterMismatch', 'conflict'],
    ['InsufficientInstanceCapacity', 'unavailable'],
    ['InstanceLimitExceeded', 'quota-exceeded'],
    ['VolumeLimitExceeded', 'quota-exceeded'],
    ['RequestLimitExceeded', 'throttled'],
    ['Throttling', 'throttled'],
    ['AuthFailure', 'auth-failed'],
    ['UnauthorizedOperation', 'forbidden'],
    ['InvalidParameterValue', 'invalid-request'],
    ['InvalidVolume.ZoneMismatch', 'invalid-request'],
    ['InvalidAMIID.Malformed', 'invalid-request'],
  ])('maps %s to %s', (name, code) => {
    expect(codeForEc2Error(name, 400)).toBe(code);
  });

  it('maps an unknown 5xx to unavailable and an unknown 4xx to provider-error', () => {
    expect(codeForEc2Error('Whatever', 500)).toBe('unavailable');
    expect(codeForEc2Error('Whatever', 400)).toBe('provider-error');
  });

  it('keeps the EC2 code, request id and status, and names the request field', () => {
    const sdkError = Object.assign(new Error('The volume does not exist.'), {
      name: 'InvalidVolume.NotFound',
      $metadata: { httpStatusCode: 400, requestId: 'abc-123' },
    });
    expect(fromEc2Error(sdkError, 'DescribeVolumes vol-1')).toMatchObject({
      code: 'not-found',
      providerCode: 'InvalidVolume.NotFound',
      requestId: 'abc-123',
      statusCode: 400,
      field: 'volumeId',
      message: expect.stringContaining('DescribeVolumes vol-1 failed'),
    });
  });

  it('maps a refused connection to unavailable', () => {
    const netError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(fromEc2Error(netError, 'DescribeVolumes vol-1').code).toBe('unavailable');
  });
});
