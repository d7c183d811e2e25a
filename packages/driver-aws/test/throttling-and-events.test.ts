process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeVolumes, errorXml } from './support/ec2-responses.js';
import { countOf, mockEc2 } from './support/nock-ec2.js';
import { ACCESS_KEY_ID, SECRET_KEY, testDriver } from './support/test-driver.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const V = 'vol-0123456789abcdef0';
const throttled = (): [number, string] => [
  503,
  errorXml('RequestLimitExceeded', 'Request limit exceeded.', 'req-throttle'),
];

describe('throttling', () => {
  it('is waited out by the SDK retry strategy: two throttles then success is three requests', async () => {
    let n = 0;
    const { calls } = mockEc2({
      DescribeVolumes: () => (++n <= 2 ? throttled() : [200, describeVolumes({ id: V, state: 'available' })]),
    });
    const { driver, events } = testDriver({ maxAttempts: 3 });
    const volume = await driver.getVolume({ volumeId: V });
    expect(volume.status).toBe('available');
    expect(countOf(calls, 'DescribeVolumes')).toBe(3);
    expect(events.ofType('request').map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('is retried only by the SDK: maxAttempts requests, then a throttled error with no retry of ours on top', async () => {
    const { calls } = mockEc2({ DescribeVolumes: throttled });
    const { driver, events } = testDriver({ maxAttempts: 4 });
    const error = await driver.getVolume({ volumeId: V }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'throttled',
      providerCode: 'RequestLimitExceeded',
      requestId: 'req-throttle',
      statusCode: 503,
    });
    expect(countOf(calls, 'DescribeVolumes')).toBe(4);
    expect(events.ofType('retry')).toHaveLength(0);
  });

  it('is not retried at all with maxAttempts 1', async () => {
    const { calls } = mockEc2({ DescribeVolumes: throttled });
    const { driver } = testDriver({ maxAttempts: 1 });
    await expect(driver.getVolume({ volumeId: V })).rejects.toMatchObject({ code: 'throttled' });
    expect(countOf(calls, 'DescribeVolumes')).toBe(1);
  });
});

describe('request events', () => {
  it('emits one event per HTTP attempt with method, EC2 action, URL without query, status, duration and request id', async () => {
    mockEc2({ DescribeVolumes: () => [200, describeVolumes({ id: V, state: 'available' })] });
    const { driver, events } = testDriver();
    await driver.getVolume({ volumeId: V });
    const [event, ...rest] = events.ofType('request');
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      method: 'POST',
      call: 'DescribeVolumes',
      url: 'https://ec2.us-east-1.amazonaws.com/',
      status: 200,
      requestId: 'req-1',
      platform: 'aws',
    });
    expect(event?.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('secrets', () => {
  it('never shows the secret key or access key id in an error, its JSON, or any event', async () => {
    mockEc2({
      DescribeVolumes: () => [
        401,
        errorXml('AuthFailure', 'AWS was not able to validate the provided access credentials'),
      ],
    });
    const { driver, events } = testDriver({ maxAttempts: 1 });
    const error = await driver.getVolume({ volumeId: V }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-failed', providerCode: 'AuthFailure' });
    // Which credential fields were used, by name only.
    expect((error as Error).message).toContain('(platforms.aws.credentials: accessKeyId, secretAccessKey)');
    const shown = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      JSON.stringify(events.events),
    ].join('\n');
    expect(events.events.length).toBeGreaterThan(0);
    for (const secret of [SECRET_KEY, ACCESS_KEY_ID]) expect(shown).not.toContain(secret);
  });

  it('scrubs a secret that the cloud echoes back in an error message', async () => {
    mockEc2({
      DescribeVolumes: () => [400, errorXml('InvalidParameterValue', `bad signature for ${SECRET_KEY}`)],
    });
    const { driver } = testDriver({ maxAttempts: 1 });
    const error = await driver.getVolume({ volumeId: V }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('[redacted]');
    expect((error as Error).message).not.toContain(SECRET_KEY);
  });
});
