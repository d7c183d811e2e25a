/**
 * The PlatformDriver contract through cloud-sim's EC2 emulation over
 * loopback HTTP, plus what only an emulator with ClientToken idempotency,
 * timed transitions and fault rules can show.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Ec2Sim, startEc2Sim } from '../../packages/cloud-sim/src/ec2/index.js';
import { createDriver, isBrokerError, MemoryEventSink } from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';
import { describePlatformDriverContract } from '../../packages/testkit/src/index.js';
import { ec2OutOfBand, ec2SimSend } from './support/ec2-out-of-band.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const IMAGE = 'ami-0abcdef1234567890';

function driverFor(sim: Ec2Sim, extra: Record<string, unknown> = {}) {
  const events = new MemoryEventSink();
  const driver = createDriver(
    awsDriver,
    {
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIDCLOUDSIM', secretAccessKey: 'cloud-sim-secret-key' },
      retryBaseDelayMs: 0,
      ...extra,
    },
    { services: { events } },
  );
  return { driver, events };
}

let contractSim: Ec2Sim | undefined;
describePlatformDriverContract(
  'aws (cloud-sim EC2)',
  async () => {
    const sim = await startEc2Sim({
      timings: { launchMs: 30, terminateMs: 10, attachMs: 15, detachMs: 15 },
      racksPerZone: 2,
    });
    contractSim = sim;
    const { driver } = driverFor(sim);
    // a second broker process on the same EC2: its own SDK client, sockets and per-server locks
    const { driver: secondDriver } = driverFor(sim);
    return {
      driver,
      secondDriver,
      fixtures: {
        missingIds: { serverId: 'i-0000000000000dead', volumeId: 'vol-0000000000000beef' },
        image: IMAGE,
        flavor: 't3.micro',
        availabilityZone: 'us-east-1a',
        otherAvailabilityZone: 'us-east-1b',
        createVolume: async (zone) => sim.cloud.createVolume(zone, 1).record.id,
        setVolumeStatus: async (volumeId, status) => sim.cloud.forceVolume(volumeId, status),
        failNextBuild: async () => sim.cloud.failNextLaunch(),
        outOfBand: ec2OutOfBand(ec2SimSend(sim.cloud)),
        antiAffinity: {
          capacity: 2,
          // EC2 shows no rack; the emulation knows where it put each instance.
          hostOf: async (id) => sim.cloud.instances.get(id)?.rack,
          countGroups: async (name) => (sim.cloud.placementGroups.groups.has(name) ? 1 : 0),
        },
      },
      async cleanup() {
        await driver.close?.();
        await secondDriver.close?.();
        await contractSim?.stop();
      },
    };
  },
  { runner: { describe, it, beforeAll, afterAll }, wait: FAST },
);

describe('aws driver on cloud-sim EC2', () => {
  let sim: Ec2Sim;
  beforeAll(async () => {
    sim = await startEc2Sim({ timings: { launchMs: 20, attachMs: 10, detachMs: 10, terminateMs: 5 } });
  });
  afterEach(() => {
    sim.faults.clear();
    sim.resetCounts();
  });
  afterAll(async () => sim.stop());

  it('a create retried with the same idempotency key makes one instance', async () => {
    const { driver } = driverFor(sim);
    const request = { name: 'sg-ha', image: IMAGE, flavor: 't3.micro', availabilityZone: 'us-east-1a' };
    const before = sim.cloud.instances.size;
    // The first attempt returns at once (as if its caller lost the answer); the retry must find the same instance,
    // by its idempotency tag, without a second RunInstances.
    const first = await driver.createServer(request, { idempotencyKey: 'ha-pair-1', wait: false });
    const second = await driver.createServer(request, { idempotencyKey: 'ha-pair-1', wait: FAST });
    expect(second.id).toBe(first.id);
    expect(sim.cloud.instances.size - before).toBe(1);
    expect(sim.count('RunInstances')).toBe(1);
  });

  it('a repeat with the same key but other parameters is conflict naming the field, as EC2 says (issue 26)', async () => {
    const { driver } = driverFor(sim);
    const request = { name: 'sg-ha2', image: IMAGE, flavor: 't3.micro', availabilityZone: 'us-east-1a' };
    await driver.createServer(request, { idempotencyKey: 'ha-pair-2', wait: false });
    // EC2 answers IdempotentParameterMismatch to the same ClientToken with another instance type
    const again = driver.createServer(
      { ...request, flavor: 't3.small' },
      { idempotencyKey: 'ha-pair-2', wait: FAST },
    );
    await expect(again).rejects.toMatchObject({
      code: 'conflict',
      providerCode: 'IdempotentParameterMismatch',
    });
    await expect(again).rejects.toThrow(/"ha-pair-2".*differing: flavor\)/);
  });

  it('a RunInstances the SDK retries after throttling still makes one instance', async () => {
    sim.faults.add({ path: '/RunInstances', times: 2, action: { type: 'throttle' } });
    const { driver } = driverFor(sim, { maxAttempts: 3 });
    const before = sim.cloud.instances.size;
    const server = await driver.createServer(
      { name: 'sg-t', image: IMAGE, flavor: 't3.micro' },
      { wait: FAST },
    );
    expect(server.status).toBe('running');
    expect(sim.count('RunInstances')).toBe(3);
    expect(sim.cloud.instances.size - before).toBe(1);
  });

  it('throttling is waited out by the SDK and not retried again by the driver', async () => {
    const volumeId = sim.cloud.createVolume('us-east-1a', 1).record.id;
    sim.faults.add({ path: '/DescribeVolumes', times: 2, action: { type: 'throttle' } });
    const { driver, events } = driverFor(sim, { maxAttempts: 3 });
    expect((await driver.getVolume({ volumeId })).status).toBe('available');
    expect(sim.count('DescribeVolumes')).toBe(3);
    sim.faults.add({ path: '/DescribeVolumes', action: { type: 'throttle' } });
    sim.resetCounts();
    const error = await driver.getVolume({ volumeId }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'throttled')).toBe(true);
    expect(sim.count('DescribeVolumes')).toBe(3);
    expect(events.ofType('retry')).toHaveLength(0);
  });

  it('an abort stops an attach wait on a stuck volume at once', async () => {
    const { driver } = driverFor(sim);
    const server = await driver.createServer(
      { name: 'sg-a', image: IMAGE, flavor: 't3.micro', availabilityZone: 'us-east-1a' },
      { wait: FAST },
    );
    const volumeId = sim.cloud.createVolume('us-east-1a', 1).record.id;
    sim.faults.add({ path: '/AttachVolume', times: 1, action: { type: 'stuck' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const started = Date.now();
    const error = await driver
      .attachVolume(
        { serverId: server.id, volumeId },
        { wait: { ...FAST, timeoutMs: 60_000 }, signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('no secret key appears in errors or events of a failed call', async () => {
    sim.faults.add({
      path: '/DescribeVolumes',
      action: { type: 'error', status: 500, message: 'boom for cloud-sim-secret-key' },
    });
    const { driver, events } = driverFor(sim, { maxAttempts: 1 });
    const error = await driver.getVolume({ volumeId: 'vol-0123456789abcdef0' }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'unavailable')).toBe(true);
    const shown = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify(events.events)}`;
    expect(shown).not.toContain('cloud-sim-secret-key');
    expect(shown).not.toContain('AKIDCLOUDSIM');
  });
});
