process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EC2_USER_DATA_MAX_BYTES } from '../src/ec2-input-checks.js';
import { describeInstances, describeVolumes, doc, errorXml } from './support/ec2-responses.js';
import { EC2_ENDPOINT, mockEc2 } from './support/nock-ec2.js';
import { FAST, testDriver } from './support/test-driver.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const I = 'i-0123456789abcdef0';
const V = 'vol-0123456789abcdef0';
const create = { name: 'sg-1', image: 'ami-12345678', flavor: 't3.micro' };

describe('EC2 id grammar, checked before anything is sent', () => {
  const BAD = [
    '../x',
    'vol-%2e%2e',
    'i-12345678\u00e9',
    'i-123 OR 1=1',
    'a0000000-0000-4000-8000-00000000dead',
  ];

  it.each(BAD)(
    '%j is invalid-request naming the field in every operation, and no request leaves',
    async (bad) => {
      const { calls } = mockEc2({});
      const { driver } = testDriver();
      const outcomes = await Promise.all([
        driver.getServer({ serverId: bad }).catch((e: unknown) => e),
        driver.deleteServer({ serverId: bad }, { wait: FAST }).catch((e: unknown) => e),
        driver.getVolume({ volumeId: bad }).catch((e: unknown) => e),
        driver.attachVolume({ serverId: bad, volumeId: V }, { wait: FAST }).catch((e: unknown) => e),
        driver.detachVolume({ serverId: I, volumeId: bad }, { wait: FAST }).catch((e: unknown) => e),
      ]);
      const fields = ['serverId', 'serverId', 'volumeId', 'serverId', 'volumeId'];
      outcomes.forEach((outcome, i) => {
        // Before: deleteServer('../x') resolved { deleted: false }, the others were not-found.
        expect(outcome).toMatchObject({ code: 'invalid-request', field: fields[i], retryable: false });
      });
      expect(calls).toHaveLength(0);
    },
  );

  it('a well-formed id of either length goes out (8 and 17 hex digits)', async () => {
    const { calls } = mockEc2({
      DescribeInstances: () => [200, describeInstances({ id: 'i-12345678', state: 'running' })],
    });
    const { driver } = testDriver();
    expect((await driver.getServer({ serverId: 'i-12345678' })).id).toBe('i-12345678');
    expect(calls).toHaveLength(1);
  });
});

describe('createServer input EC2 would refuse or misread', () => {
  it('metadata.Name is refused: the Name tag is the server name', async () => {
    const { calls } = mockEc2({});
    const { driver } = testDriver();
    const error = await driver
      .createServer({ ...create, metadata: { Name: 'other' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'metadata.Name' });
    expect(calls).toHaveLength(0);
  });

  it("the driver's own idempotency tag in metadata is refused (it would forge or replace a key)", async () => {
    const { calls } = mockEc2({});
    const { driver } = testDriver();
    const error = await driver
      .createServer({ ...create, metadata: { 'hybrid-broker-idempotency-token': 'forged' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid-request',
      field: 'metadata.hybrid-broker-idempotency-token',
    });
    expect(calls).toHaveLength(0);
  });

  it('user data is held to 16 KB before base64 encoding (EC2 User Guide), counted in UTF-8 bytes', async () => {
    const { calls } = mockEc2({});
    const { driver } = testDriver();
    const over = await driver
      .createServer({ ...create, userData: `${'x'.repeat(EC2_USER_DATA_MAX_BYTES - 1)}é` })
      .catch((e: unknown) => e);
    expect(over).toMatchObject({ code: 'invalid-request', field: 'userData' });
    expect(String((over as Error).message)).toMatch(/16385 bytes; EC2 takes at most 16384 bytes/);
    expect(calls).toHaveLength(0);
  });
});

describe('EC2 answers read into typed errors with their field', () => {
  it('a bad availability zone (InvalidParameterValue) names availabilityZone', async () => {
    mockEc2({
      RunInstances: () => [400, errorXml('InvalidParameterValue', 'Invalid availability zone: [us-east-1z]')],
    });
    const { driver } = testDriver();
    const error = await driver
      .createServer({ ...create, availabilityZone: 'us-east-1z' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'availabilityZone' });
  });

  it('a device in use (InvalidParameterValue, unixDevice) names device', async () => {
    mockEc2({
      DescribeInstances: () => [200, describeInstances({ id: I, state: 'running' })],
      DescribeVolumes: () => [200, describeVolumes({ id: V, state: 'available' })],
      AttachVolume: () => [
        400,
        errorXml(
          'InvalidParameterValue',
          "Invalid value '/dev/sdf' for unixDevice. Attachment point /dev/sdf is already in use",
        ),
      ],
    });
    const { driver } = testDriver();
    const error = await driver
      .attachVolume({ serverId: I, volumeId: V, device: '/dev/sdf' }, { wait: FAST })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ field: 'device' });
  });

  it('a 429 with a JSON body (a gateway, not EC2) is throttled', async () => {
    nock(EC2_ENDPOINT)
      .persist()
      .post('/')
      .reply(429, JSON.stringify({ message: 'Too Many Requests' }), { 'content-type': 'application/json' });
    const { driver } = testDriver({ maxAttempts: 1 });
    const error = await driver.getServer({ serverId: I }).catch((e: unknown) => e);
    // Before: provider-error.
    expect(error).toMatchObject({ code: 'throttled', statusCode: 429, retryable: true });
  });

  it("detachVolume({ wait: false }) returns EC2's detaching answer, not the volume read before", async () => {
    mockEc2({
      DescribeVolumes: () => [
        200,
        describeVolumes({ id: V, state: 'in-use', attachment: { instanceId: I, state: 'attached' } }),
      ],
      DetachVolume: () => [
        200,
        doc(
          'DetachVolume',
          `<volumeId>${V}</volumeId><instanceId>${I}</instanceId><device>/dev/sdf</device><status>detaching</status><attachTime>2026-01-01T00:00:00.000Z</attachTime>`,
        ),
      ],
    });
    const { driver } = testDriver();
    const result = await driver.detachVolume({ serverId: I, volumeId: V }, { wait: false });
    expect(result.detached).toBe(true);
    expect(result.volume.status).toBe('detaching');
    expect(result.volume.attachments[0]).toMatchObject({
      serverId: I,
      state: 'detaching',
      providerState: 'detaching',
    });
  });
});
