import { afterEach, describe, expect, it } from 'vitest';
import {
  type ArmSim,
  type CloudSim,
  type Ec2Sim,
  startArmSim,
  startCloudSim,
  startEc2Sim,
} from '../src/index.js';
import { call, login } from './helpers/sim-client.js';

// The failover scenario's server-side limits: a burst over a bucket gets the cloud's documented
// error and headers, and requests within it are served. A fixed clock keeps the buckets from refilling.
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});
const clock = 5_000_000;

describe('failover scenario rate limits', () => {
  it('are off by default: a burst over every bucket is served', async () => {
    const sim: CloudSim = await startCloudSim();
    stop = () => sim.stop();
    const s = await login(sim);
    const url = `${s.url('volumev3')}/volumes`;
    const replies = await Promise.all(Array.from({ length: 30 }, () => call('GET', url, { token: s.token })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(sim.throttleStats()).toEqual({ requests: 0, throttled: 0, buckets: {} });
  });

  it('Nova answers 429 overLimit and Cinder 413, with Retry-After, per project', async () => {
    const sim = await startCloudSim({
      now: () => clock,
      rateLimits: { reads: { capacity: 3, refillPerSecond: 0.5 } },
    });
    stop = () => sim.stop();
    const s = await login(sim);
    const servers = `${s.url('compute')}/servers`;
    const volumes = `${s.url('volumev3')}/volumes`;
    const nova = [];
    for (let i = 0; i < 4; i++) nova.push(await call('GET', servers, { token: s.token }));
    expect(nova.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(nova[3]?.body).toEqual({
      overLimit: { code: 429, message: 'This request was rate-limited.', retryAfter: '2' },
    });
    expect(nova[3]?.headers.get('retry-after')).toBe('2');
    // Cinder has a bucket of its own: three more reads pass, the fourth is the old limiter's 413.
    const cinder = [];
    for (let i = 0; i < 4; i++) cinder.push(await call('GET', volumes, { token: s.token }));
    expect(cinder.map((r) => r.status)).toEqual([200, 200, 200, 413]);
    expect(cinder[3]?.body.overLimit.message).toBe('This request was rate-limited.');
    expect(cinder[3]?.headers.get('retry-after')).toBe('2');
    // Keystone is not limited.
    expect((await login(sim)).token).not.toBe('');
    expect(sim.throttleStats()).toMatchObject({ requests: 8, throttled: 2 });
  });

  it('EC2 answers RequestLimitExceeded (503, EC2 XML) per action bucket', async () => {
    const sim: Ec2Sim = await startEc2Sim({
      now: () => clock,
      rateLimits: { nonMutating: { capacity: 2, refillPerSecond: 1 } },
    });
    stop = () => sim.stop();
    const volume = sim.cloud.createVolume('us-east-1a', 1).record.id;
    const describe = () =>
      fetch(`${sim.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Version: '2016-11-15', Action: 'DescribeVolumes', 'VolumeId.1': volume }),
      });
    const replies = [await describe(), await describe(), await describe()];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 503]);
    const xml = await replies[2]?.text();
    expect(xml).toMatch(/<Code>RequestLimitExceeded<\/Code>/);
    expect(xml).toMatch(/<Message>Request limit exceeded\.<\/Message>/);
    expect(xml).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID>/);
    // Each action has its own bucket: DescribeInstances still passes.
    const other = await fetch(`${sim.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Version: '2016-11-15', Action: 'DescribeInstances' }),
    });
    expect(other.status).toBe(200);
    expect(sim.throttleStats().buckets.DescribeVolumes).toEqual({ requests: 3, throttled: 1 });
  });

  it('EC2 gives RunInstances its own small bucket (5, 2 per s), as the page lists it', async () => {
    const sim = await startEc2Sim({ now: () => clock, rateLimits: true });
    stop = () => sim.stop();
    const run = () =>
      fetch(`${sim.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Version: '2016-11-15',
          Action: 'RunInstances',
          ImageId: 'ami-0abcdef1234567890',
          InstanceType: 't3.micro',
          MinCount: '1',
          MaxCount: '1',
        }),
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await run()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503]);
  });

  it('ARM answers 429 with Retry-After and the remaining-reads header on every response', async () => {
    const sim: ArmSim = await startArmSim({ rateLimits: { reads: { capacity: 2, refillPerSecond: 0.001 } } });
    stop = () => sim.stop();
    const list = () =>
      fetch(
        `${sim.url}/subscriptions/${sim.subscriptionId}/resourceGroups/sg-rg/providers/Microsoft.Compute/disks?api-version=2024-03-02`,
        { headers: { authorization: 'Bearer t' } },
      );
    const replies = [await list(), await list(), await list()];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(replies.map((r) => r.headers.get('x-ms-ratelimit-remaining-subscription-reads'))).toEqual([
      '1',
      '0',
      '0',
    ]);
    expect(Number(replies[2]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await replies[2]?.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SubscriptionRequestsThrottled');
    expect(body.error.message).toMatch(/Number of 'read' requests for subscription/);
    // Writes draw from their own bucket and say so in their own header.
    const write = await fetch(
      `${sim.url}/subscriptions/${sim.subscriptionId}/resourceGroups/sg-rg/providers/Microsoft.Compute/disks/d1?api-version=2024-03-02`,
      {
        method: 'PUT',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ location: 'westeurope', properties: { diskSizeGB: 8 } }),
      },
    );
    expect(write.status).toBe(200);
    expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('199');
    expect(sim.throttleStats()).toMatchObject({ requests: 4, throttled: 1 });
  });

  it('can be turned on and off through the OpenStack admin API', async () => {
    const sim = await startCloudSim({ now: () => clock });
    stop = () => sim.stop();
    const s = await login(sim);
    const put = await call('PUT', `${sim.url}/_sim/openstack/rate-limits`, {
      body: { enabled: true, reads: { capacity: 1, refillPerSecond: 1 } },
    });
    expect(put.status).toBe(204);
    const url = `${s.url('compute')}/servers`;
    expect((await call('GET', url, { token: s.token })).status).toBe(200);
    expect((await call('GET', url, { token: s.token })).status).toBe(429);
    const stats = await call('GET', `${sim.url}/_sim/openstack/throttles`);
    expect(stats.body).toMatchObject({ requests: 2, throttled: 1 });
    await call('PUT', `${sim.url}/_sim/openstack/rate-limits`, { body: { enabled: false } });
    expect((await call('GET', url, { token: s.token })).status).toBe(200);
    const bad = await call('PUT', `${sim.url}/_sim/openstack/rate-limits`, { body: { enabled: 'yes' } });
    expect(bad.status).toBe(400);
    const badBucket = await call('PUT', `${sim.url}/_sim/openstack/rate-limits`, {
      body: { enabled: true, reads: { capacity: 0, refillPerSecond: 1 } },
    });
    expect(badBucket.status).toBe(400);
    expect(badBucket.body.error.message).toBe(
      'rateLimits.reads: expected { capacity: number >= 1, refillPerSecond: number > 0 }',
    );
    const unknown = await call('PUT', `${sim.url}/_sim/openstack/rate-limits`, {
      body: { enabled: true, gets: { capacity: 1, refillPerSecond: 1 } },
    });
    expect(unknown.body.error.message).toBe(
      'rateLimits.gets: unknown bucket (expected one of reads, writes)',
    );
  });

  it('refuse a bucket that is not a bucket, naming the field, in every cloud', async () => {
    await expect(
      startEc2Sim({ rateLimits: { mutating: { capacity: 5, refillPerSecond: 0 } } }),
    ).rejects.toThrow(/rateLimits\.mutating: expected/);
    await expect(
      startArmSim({
        rateLimits: {
          writes: { capacity: 'many' } as unknown as { capacity: number; refillPerSecond: number },
        },
      }),
    ).rejects.toThrow(/rateLimits\.writes: expected/);
  });
});
