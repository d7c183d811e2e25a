import { afterEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim, startEc2Sim, TransitionTimes } from '../src/index.js';
import { call, login, waitFor } from './helpers/sim-client.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('seeded transition times', () => {
  it('give the same times for the same seed, other times for another, all within the range', () => {
    const draw = (seed: number) => {
      const times = new TransitionTimes({ seed, ranges: { attachMs: [1000, 4000], detachMs: [1000, 3000] } });
      return Array.from({ length: 50 }, () => times.draw('attachMs', 0));
    };
    const first = draw(7);
    expect(draw(7)).toEqual(first);
    expect(draw(8)).not.toEqual(first);
    expect(first.every((ms) => ms >= 1000 && ms <= 4000)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(40);
  });

  it('draw each kind from its own stream, and keep the fixed delay for kinds without a range', () => {
    const alone = new TransitionTimes<string>({
      seed: 3,
      ranges: { attachMs: [10, 20], detachMs: [10, 20] },
    });
    const mixed = new TransitionTimes({ seed: 3, ranges: { attachMs: [10, 20], detachMs: [10, 20] } });
    const a = [alone.draw('attachMs', 0), alone.draw('attachMs', 0)];
    mixed.draw('detachMs', 0);
    expect([mixed.draw('attachMs', 0), mixed.draw('attachMs', 0)]).toEqual(a);
    expect(alone.draw('serverBuildMs', 123)).toBe(123);
  });

  it('reject a range that is not [min, max] naming the kind', () => {
    expect(() => new TransitionTimes({ ranges: { attachMs: [5, 1] } })).toThrow(/attachMs.*minMs <= maxMs/);
  });

  it('drive OpenStack attaches, and the sim records when each volume really changed', async () => {
    const sim: CloudSim = await startCloudSim({
      delays: { attachMs: 0 },
      transitionTimes: { seed: 5, ranges: { attachMs: [60, 120] } },
    });
    stop = () => sim.stop();
    const s = await login(sim);
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    const started = Date.now();
    const attach = await call('POST', `${s.url('compute')}/servers/${server.id}/os-volume_attachments`, {
      token: s.token,
      body: { volumeAttachment: { volumeId: volume.id } },
    });
    expect(attach.status).toBe(200);
    await waitFor(
      () => call('GET', `${s.url('volumev3')}/volumes/${volume.id}`, { token: s.token }),
      (r) => r.body.volume.status === 'in-use',
    );
    const at = sim.changes.last(volume.id, 'in-use') ?? 0;
    expect(at - started).toBeGreaterThanOrEqual(55);
    expect(at - started).toBeLessThan(1000);
    const admin = await call('GET', `${sim.url}/_sim/openstack/changes?resource=${volume.id}`);
    expect(admin.body.changes).toEqual([
      { resource: volume.id, state: 'in-use', at, since: expect.any(Number) },
    ]);
    const change = sim.changes.latest(volume.id, 'in-use');
    expect((change?.at ?? 0) - (change?.since ?? 0)).toBeGreaterThanOrEqual(60);
  });

  it('set through the admin API, and EC2 records its change times when the change starts', async () => {
    const sim = await startCloudSim();
    stop = () => sim.stop();
    const put = await call('PUT', `${sim.url}/_sim/openstack/transition-times`, {
      body: { seed: 2, ranges: { attachMs: [1000, 4000] } },
    });
    expect(put.status).toBe(204);
    expect((await call('GET', `${sim.url}/_sim/openstack/transition-times`)).body).toEqual({
      ranges: { attachMs: [1000, 4000] },
    });
    const bad = await call('PUT', `${sim.url}/_sim/openstack/transition-times`, {
      body: { ranges: { attachMs: [4, 1] } },
    });
    expect(bad.status).toBe(400);

    let clock = 1_000_000;
    const ec2 = await startEc2Sim({
      now: () => clock,
      timings: { launchMs: 0 },
      transitionTimes: { seed: 9, ranges: { attachMs: [1000, 4000] } },
    });
    const instance = ec2.cloud.runInstance({
      imageId: 'ami-0abcdef1234567890',
      instanceType: 't3.micro',
      availabilityZone: 'us-east-1a',
      subnetId: undefined,
      keyName: undefined,
      securityGroupIds: [],
      tags: new Map(),
      clientToken: undefined,
    });
    const volume = ec2.cloud.createVolume('us-east-1a', 1).record.id;
    clock += 1;
    const reply = await fetch(`${ec2.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Version: '2016-11-15',
        Action: 'AttachVolume',
        VolumeId: volume,
        InstanceId: instance.id,
        Device: '/dev/sdf',
      }),
    });
    expect(reply.status).toBe(200);
    const at = ec2.changes.last(volume, 'in-use') ?? 0;
    expect(at - clock).toBeGreaterThanOrEqual(1000);
    expect(at - clock).toBeLessThanOrEqual(4000);
    await ec2.stop();
  });
});
