process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { type Clock, createDriver } from '@hybrid-broker/core';
import { abortedError } from '@hybrid-broker/core/driver-kit';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsDriver } from '../src/index.js';
import { attachVolume, doc, errorXml, instanceItem } from './support/ec2-responses.js';
import { mockEc2 } from './support/nock-ec2.js';
import { ACCESS_KEY_ID, FAST, SECRET_KEY } from './support/test-driver.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const OFF = {
  coalescePolling: false,
  singleFlightReads: false,
  adaptivePolling: false,
  requestBudget: false,
};
const idsOf = (fields: Record<string, string>, prefix: string) =>
  Object.entries(fields)
    .filter(([k]) => k.startsWith(prefix))
    .map(([, v]) => v);
const hex = (n: number) => n.toString(16).padStart(17, '0');

/** An EC2 whose volumes show attached a few polls after their AttachVolume. */
function attachingEc2() {
  const polls = new Map<string, number>();
  const attachedTo = new Map<string, string>();
  const volumeXml = (id: string) => {
    const server = attachedTo.get(id);
    const seen = (polls.get(id) ?? 0) + 1;
    polls.set(id, seen);
    const done = server !== undefined && seen > 3;
    const attachment = server
      ? `<item><volumeId>${id}</volumeId><instanceId>${server}</instanceId><device>/dev/sdf</device><status>${done ? 'attached' : 'attaching'}</status></item>`
      : '';
    return `<item><volumeId>${id}</volumeId><size>8</size><availabilityZone>us-east-1a</availabilityZone><status>${server ? 'in-use' : 'available'}</status><attachmentSet>${attachment}</attachmentSet></item>`;
  };
  return mockEc2({
    DescribeInstances: (f) => {
      const items = idsOf(f, 'InstanceId.')
        .map((id) => instanceItem({ id, state: 'running' }))
        .join('');
      return [
        200,
        doc(
          'DescribeInstances',
          `<reservationSet><item><reservationId>r-1</reservationId><instancesSet>${items}</instancesSet></item></reservationSet>`,
        ),
      ];
    },
    DescribeVolumes: (f) => [
      200,
      doc('DescribeVolumes', `<volumeSet>${idsOf(f, 'VolumeId.').map(volumeXml).join('')}</volumeSet>`),
    ],
    AttachVolume: (f) => {
      attachedTo.set(f.VolumeId ?? '', f.InstanceId ?? '');
      polls.set(f.VolumeId ?? '', 0);
      return [200, attachVolume(f.VolumeId ?? '', f.InstanceId ?? '', f.Device ?? '/dev/sdf')];
    },
  });
}

function driverWith(scale: Record<string, unknown>, clock?: Clock) {
  return createDriver(
    awsDriver,
    {
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY },
      maxAttempts: 3,
      retryBaseDelayMs: 0,
      scale,
    },
    clock ? { services: { clock } } : {},
  );
}

async function attachMany(scale: Record<string, unknown>) {
  const { calls } = attachingEc2();
  const driver = driverWith(scale);
  const pairs = [1, 2, 3, 4, 5, 6].map((n) => ({ serverId: `i-${hex(n)}`, volumeId: `vol-${hex(n)}` }));
  // The SDK loads on the first call: done before, so the six calls start together.
  await driver.getServer({ serverId: `i-${hex(99)}` });
  const before = calls.length;
  const results = await Promise.all(pairs.map((p) => driver.attachVolume(p, { wait: FAST })));
  const counted = calls.slice(before);
  const describes = counted.filter((c) => c.Action === 'DescribeVolumes');
  const instanceDescribes = counted.filter((c) => c.Action === 'DescribeInstances');
  await driver.close?.();
  nock.cleanAll();
  return { results, describes, instanceDescribes };
}

describe('aws under the scale options', () => {
  it('concurrent attach waits share one DescribeVolumes of all their ids per tick', async () => {
    const on = await attachMany({});
    const off = await attachMany(OFF);
    for (const { results } of [on, off])
      expect(results.map((r) => r.state)).toEqual(Array(6).fill('attached'));
    // every wait polled its own volume alone with the features off
    expect(off.describes.every((c) => idsOf(c, 'VolumeId.').length === 1)).toBe(true);
    expect(on.describes.some((c) => idsOf(c, 'VolumeId.').length > 1)).toBe(true);
    expect(on.describes.length).toBeLessThan(off.describes.length);
  });

  it("concurrent attaches' prechecks share one DescribeInstances", async () => {
    const on = await attachMany({});
    const off = await attachMany(OFF);
    expect(off.instanceDescribes).toHaveLength(6);
    expect(off.instanceDescribes.every((c) => idsOf(c, 'InstanceId.').length === 1)).toBe(true);
    // The first precheck reads alone (nobody else watches yet); the other five go out together.
    const widest = (calls: Record<string, string>[], prefix: string) =>
      Math.max(...calls.map((c) => idsOf(c, prefix).length));
    expect(on.instanceDescribes.length).toBeLessThanOrEqual(2);
    expect(widest(on.instanceDescribes, 'InstanceId.')).toBeGreaterThanOrEqual(5);
    // (The volume prechecks join the same way, but the attach waits' batched DescribeVolumes
    // would hide it; the instance reads are the prechecks' alone.)
  });

  it('a RequestLimitExceeded pauses every action, and the budget then spaces the requests', async () => {
    const sleeps: number[] = [];
    let now = Date.now();
    const clock: Clock = {
      now: () => now,
      random: () => 0.5,
      async sleep(ms, signal) {
        if (signal?.aborted) throw abortedError(signal, 'sleep');
        sleeps.push(ms);
        now += ms;
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    let first = true;
    mockEc2({
      DescribeVolumes: (f) => {
        if (first) {
          first = false;
          return [503, errorXml('RequestLimitExceeded', 'Request limit exceeded.')];
        }
        return [
          200,
          doc(
            'DescribeVolumes',
            `<volumeSet><item><volumeId>${idsOf(f, 'VolumeId.')[0]}</volumeId><size>8</size><availabilityZone>us-east-1a</availabilityZone><status>available</status><attachmentSet/></item></volumeSet>`,
          ),
        ];
      },
    });
    const driver = driverWith({ requestBudget: { requestsPerSecond: 10, burst: 5 } }, clock);
    const volume = await driver.getVolume({ volumeId: `vol-${hex(1)}` });
    expect(volume.status).toBe('available');
    // the throttled attempt emptied the bucket and paused it one refill interval (100 ms at 10/s)
    expect(sleeps.some((ms) => ms >= 99)).toBe(true);
    await driver.close?.();
  });
});
