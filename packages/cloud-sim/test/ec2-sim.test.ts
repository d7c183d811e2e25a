import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ec2Sim, startEc2Sim } from '../src/ec2/index.js';

let sim: Ec2Sim;
let clock = 1_000_000;
beforeAll(async () => {
  sim = await startEc2Sim({ now: () => clock, timings: { launchMs: 100, attachMs: 50, detachMs: 50 } });
});
afterAll(async () => sim.stop());

async function call(fields: Record<string, string>): Promise<{ status: number; xml: string }> {
  const response = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2016-11-15', ...fields }),
  });
  return { status: response.status, xml: await response.text() };
}
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const run = (extra: Record<string, string> = {}) =>
  call({
    Action: 'RunInstances',
    ImageId: 'ami-0abcdef1234567890',
    InstanceType: 't3.micro',
    MinCount: '1',
    MaxCount: '1',
    ...extra,
  });

describe('cloud-sim EC2', () => {
  it('keeps an instance pending until its launch time has passed, then running', async () => {
    const id = tag((await run()).xml, 'instanceId') ?? '';
    expect(tag((await call({ Action: 'DescribeInstances', 'InstanceId.1': id })).xml, 'name')).toBe(
      'pending',
    );
    clock += 100;
    expect(tag((await call({ Action: 'DescribeInstances', 'InstanceId.1': id })).xml, 'name')).toBe(
      'running',
    );
  });

  it('returns the first instance for a repeated ClientToken', async () => {
    const a = tag((await run({ ClientToken: 'tok-1' })).xml, 'instanceId');
    const b = tag((await run({ ClientToken: 'tok-1' })).xml, 'instanceId');
    expect(b).toBe(a);
  });

  it('refuses a cross-zone attach with InvalidVolume.ZoneMismatch in EC2 error XML', async () => {
    const id = tag((await run({ 'Placement.AvailabilityZone': 'us-east-1a' })).xml, 'instanceId') ?? '';
    clock += 100;
    const vol =
      tag(
        (await call({ Action: 'CreateVolume', AvailabilityZone: 'us-east-1b', Size: '1' })).xml,
        'volumeId',
      ) ?? '';
    const { status, xml } = await call({
      Action: 'AttachVolume',
      VolumeId: vol,
      InstanceId: id,
      Device: '/dev/sdf',
    });
    expect(status).toBe(400);
    expect(xml).toMatch(
      /<Response><Errors><Error><Code>InvalidVolume\.ZoneMismatch<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>/,
    );
  });

  it('moves an attachment through attaching to attached, and detaching to gone, as time passes', async () => {
    const id = tag((await run({ 'Placement.AvailabilityZone': 'us-east-1a' })).xml, 'instanceId') ?? '';
    clock += 100;
    const vol =
      tag(
        (await call({ Action: 'CreateVolume', AvailabilityZone: 'us-east-1a', Size: '1' })).xml,
        'volumeId',
      ) ?? '';
    expect(
      tag(
        (await call({ Action: 'AttachVolume', VolumeId: vol, InstanceId: id, Device: '/dev/sdf' })).xml,
        'status',
      ),
    ).toBe('attaching');
    const described = async () => (await call({ Action: 'DescribeVolumes', 'VolumeId.1': vol })).xml;
    expect(await described()).toContain('<status>attaching</status>');
    clock += 50;
    expect(await described()).toContain('<status>attached</status>');
    await call({ Action: 'DetachVolume', VolumeId: vol, InstanceId: id });
    expect(await described()).toContain('<status>detaching</status>');
    clock += 50;
    const after = await described();
    expect(tag(after, 'status')).toBe('available');
    expect(after).toContain('<attachmentSet></attachmentSet>');
  });

  it('answers a throttle fault with 503 RequestLimitExceeded and counts every request by action', async () => {
    sim.resetCounts();
    sim.faults.add({ path: '/DescribeVolumes', times: 1, action: { type: 'throttle' } });
    const throttled = await call({ Action: 'DescribeVolumes' });
    expect(throttled.status).toBe(503);
    expect(tag(throttled.xml, 'Code')).toBe('RequestLimitExceeded');
    expect((await call({ Action: 'DescribeVolumes' })).status).toBe(200);
    expect(sim.counts()).toEqual({ DescribeVolumes: 2 });
  });
});

describe('ec2 sim stop', () => {
  it('ends requests held by a latency fault and leaves no timer behind', async () => {
    const sim = await startEc2Sim({
      faults: [{ path: '/DescribeVolumes', action: { type: 'latency', ms: 60_000 } }],
    });
    const held = fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeVolumes&Version=2016-11-15',
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await sim.stop();
    await held;
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timersAfter).toBeLessThan(timersBefore);
  });
});
