process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { EC2Client } from '@aws-sdk/client-ec2';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeInstancesByIds, describeVolumesByIds, idsNamedIn } from '../src/ec2-batch-reads.js';
import { doc, errorXml, instanceItem } from './support/ec2-responses.js';
import { countOf, mockEc2 } from './support/nock-ec2.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const client = () =>
  new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
    maxAttempts: 1,
  });
const [A, B, GONE] = ['vol-0000000000000000a', 'vol-0000000000000000b', 'vol-0000000000000dead'];
const volumeItem = (id: string) =>
  `<item><volumeId>${id}</volumeId><size>8</size><availabilityZone>us-east-1a</availabilityZone><status>available</status><attachmentSet/></item>`;
/** The VolumeId.N fields of one request. */
const idsOf = (fields: Record<string, string>, prefix: string) =>
  Object.entries(fields)
    .filter(([k]) => k.startsWith(prefix))
    .map(([, v]) => v);

describe('EC2 describes of many ids', () => {
  it('one DescribeVolumes for many ids; a NotFound drops the ids it names and asks again for the rest', async () => {
    const { calls } = mockEc2({
      DescribeVolumes: (fields) => {
        const ids = idsOf(fields, 'VolumeId.');
        if (ids.includes(GONE))
          return [400, errorXml('InvalidVolume.NotFound', `The volume '${GONE}' does not exist.`)];
        return [200, doc('DescribeVolumes', `<volumeSet>${ids.map(volumeItem).join('')}</volumeSet>`)];
      },
    });
    const found = await describeVolumesByIds(client(), [A, GONE, B], undefined);
    expect([...found.keys()].sort()).toEqual([A, B]);
    // the missing id is only absent: its waiter's own read decides whether it is gone
    expect(found.has(GONE)).toBe(false);
    expect(countOf(calls, 'DescribeVolumes')).toBe(2);
    expect(idsOf(calls[0] ?? {}, 'VolumeId.')).toEqual([A, GONE, B]);
    expect(idsOf(calls[1] ?? {}, 'VolumeId.')).toEqual([A, B]);
  });

  it('a NotFound that names none of the ids leaves every one to its single read', async () => {
    const { calls } = mockEc2({
      DescribeVolumes: () => [400, errorXml('InvalidVolume.NotFound', 'The volume does not exist.')],
    });
    expect((await describeVolumesByIds(client(), [A, B], undefined)).size).toBe(0);
    expect(countOf(calls, 'DescribeVolumes')).toBe(1);
  });

  it("any other failure is the whole batch's", async () => {
    mockEc2({ DescribeVolumes: () => [503, errorXml('RequestLimitExceeded', 'Request limit exceeded.')] });
    await expect(describeVolumesByIds(client(), [A, B], undefined)).rejects.toMatchObject({
      code: 'throttled',
      providerCode: 'RequestLimitExceeded',
    });
  });

  it('DescribeInstances by ids, with the ids an instance NotFound names dropped', async () => {
    const [I1, I2] = ['i-0000000000000000a', 'i-0000000000000dead'];
    const { calls } = mockEc2({
      DescribeInstances: (fields) => {
        const ids = idsOf(fields, 'InstanceId.');
        if (ids.includes(I2))
          return [400, errorXml('InvalidInstanceID.NotFound', `The instance IDs '${I2}' do not exist`)];
        const items = ids.map((id) => instanceItem({ id, state: 'running' })).join('');
        return [
          200,
          doc(
            'DescribeInstances',
            `<reservationSet><item><reservationId>r-1</reservationId><instancesSet>${items}</instancesSet></item></reservationSet>`,
          ),
        ];
      },
    });
    const found = await describeInstancesByIds(client(), [I1, I2], undefined);
    expect([...found.keys()]).toEqual([I1]);
    expect(countOf(calls, 'DescribeInstances')).toBe(2);
  });

  it('reads the ids out of EC2 NotFound messages', () => {
    expect(idsNamedIn("The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist")).toEqual([
      'i-0123456789abcdef0',
      'i-0123456789abcdef1',
    ]);
    expect(idsNamedIn("The volume 'vol-049df61146c4d7901' does not exist.")).toEqual([
      'vol-049df61146c4d7901',
    ]);
  });
});
