import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ec2Sim, startEc2Sim } from '../src/ec2/index.js';

let sim: Ec2Sim;
let clock = 1_000_000;
beforeAll(async () => {
  sim = await startEc2Sim({ now: () => clock, timings: { launchMs: 100, powerMs: 50 } });
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
const state = async (id: string) =>
  tag((await call({ Action: 'DescribeInstances', 'InstanceId.1': id })).xml, 'name');
const states = (xml: string) => [...xml.matchAll(/<name>([^<]*)<\/name>/g)].map((m) => m[1]);

describe('cloud-sim EC2 power', () => {
  it('stops and starts through stopping and pending, answering current and previous state; repeats are quiet', async () => {
    const run = await call({
      Action: 'RunInstances',
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 't3.micro',
      MinCount: '1',
      MaxCount: '1',
    });
    const id = tag(run.xml, 'instanceId') ?? '';
    clock += 100;
    const stop = await call({ Action: 'StopInstances', 'InstanceId.1': id });
    expect(stop.status).toBe(200);
    expect(states(stop.xml)).toEqual(['stopping', 'running']);
    // Another transition under way: a start is refused, a second stop is quiet.
    const early = await call({ Action: 'StartInstances', 'InstanceId.1': id });
    expect(early.status).toBe(400);
    expect(tag(early.xml, 'Code')).toBe('IncorrectInstanceState');
    expect(states((await call({ Action: 'StopInstances', 'InstanceId.1': id })).xml)).toEqual([
      'stopping',
      'stopping',
    ]);
    clock += 50;
    expect(await state(id)).toBe('stopped');
    expect(tag((await call({ Action: 'RebootInstances', 'InstanceId.1': id })).xml, 'Code')).toBe(
      'IncorrectInstanceState',
    );
    expect(states((await call({ Action: 'StartInstances', 'InstanceId.1': id })).xml)).toEqual([
      'pending',
      'stopped',
    ]);
    clock += 50;
    expect(await state(id)).toBe('running');
    const reboot = await call({ Action: 'RebootInstances', 'InstanceId.1': id });
    expect(tag(reboot.xml, 'return')).toBe('true');
    expect(await state(id), 'a reboot shows no state on EC2').toBe('running');
  });

  it('names a missing or malformed instance as EC2 does', async () => {
    const missing = await call({ Action: 'StartInstances', 'InstanceId.1': 'i-0000000000000dead' });
    expect(tag(missing.xml, 'Code')).toBe('InvalidInstanceID.NotFound');
    const none = await call({ Action: 'RebootInstances' });
    expect(tag(none.xml, 'Code')).toBe('MissingParameter');
  });
});
