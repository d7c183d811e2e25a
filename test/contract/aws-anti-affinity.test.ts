/**
 * antiAffinityGroup on the AWS driver through cloud-sim's EC2: brokers racing
 * to make one spread placement group, and the refusals made before launching.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ec2Sim, startEc2Sim } from '../../packages/cloud-sim/src/ec2/index.js';
import { createDriver, isBrokerError, type PlatformDriver } from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const SERVER = { image: 'ami-0abcdef1234567890', flavor: 't3.micro', availabilityZone: 'us-east-1a' };

describe('aws antiAffinityGroup on cloud-sim EC2', () => {
  let sim: Ec2Sim;
  const drivers: PlatformDriver[] = [];
  const driver = () => {
    const d = createDriver(awsDriver, {
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIDCLOUDSIM', secretAccessKey: 'cloud-sim-secret-key' },
      maxAttempts: 1,
      wait: FAST,
    });
    drivers.push(d);
    return d;
  };
  beforeAll(async () => {
    sim = await startEc2Sim({ timings: { launchMs: 10, terminateMs: 5 } });
  });
  afterAll(async () => {
    for (const d of drivers) await d.close?.();
    await sim.stop();
  });

  it('two brokers racing to make the group both launch into it: the loser takes Duplicate as found', async () => {
    const [one, two] = [driver(), driver()];
    // Both look-ups are held back, so both brokers find no group and both try to make it.
    sim.faults.add({ path: '/DescribePlacementGroups', times: 2, action: { type: 'latency', ms: 100 } });
    const [a, b] = await Promise.all([
      one.createServer({ ...SERVER, name: 'r1', antiAffinityGroup: 'raced' }),
      two.createServer({ ...SERVER, name: 'r2', antiAffinityGroup: 'raced' }),
    ]);
    expect(sim.count('CreatePlacementGroup')).toBe(2);
    expect([...sim.cloud.placementGroups.groups.keys()]).toEqual(['raced']);
    const racks = [a, b].map((s) => sim.cloud.instances.get(s.id)?.rack);
    expect(racks[0]).toBeDefined();
    expect(racks[0]).not.toBe(racks[1]);
  });

  it('a name outside EC2 grammar, or a group of another strategy, is refused before any launch', async () => {
    const d = driver();
    const launches = sim.count('RunInstances');
    const bad = await d
      .createServer({ ...SERVER, name: 'x', antiAffinityGroup: 'grüppe' })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid-request', field: 'antiAffinityGroup' });
    sim.cloud.placementGroups.create('packed', 'cluster');
    const cluster = await d
      .createServer({ ...SERVER, name: 'x', antiAffinityGroup: 'packed' })
      .catch((e: unknown) => e);
    expect(isBrokerError(cluster, 'conflict')).toBe(true);
    expect(sim.count('RunInstances')).toBe(launches);
  });
});
