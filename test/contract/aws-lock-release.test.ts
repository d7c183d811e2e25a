/**
 * On EC2 the per-server lock ends once AttachVolume (or DetachVolume) is accepted: EC2 lists
 * the `attaching` mapping at once, so the next attach to the instance reads its device as
 * taken (and re-picks on "already in use" if its read came too early), while the first waits.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ec2Sim, startEc2Sim } from '../../packages/cloud-sim/src/ec2/index.js';
import { createDriver, type PlatformDriver } from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';

const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
// Long enough that the second call's prechecks and send fit well inside the first's wait.
const TRANSITION_MS = 400;

describe('aws: the per-server lock ends at the send', () => {
  let sim: Ec2Sim;
  let driver: PlatformDriver;
  beforeAll(async () => {
    sim = await startEc2Sim({
      timings: { launchMs: 5, terminateMs: 5, attachMs: TRANSITION_MS, detachMs: TRANSITION_MS },
    });
    driver = createDriver(awsDriver, {
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIDCLOUDSIM', secretAccessKey: 'cloud-sim-secret-key' },
      retryBaseDelayMs: 0,
    });
  });
  afterAll(async () => {
    await driver?.close?.();
    await sim?.stop();
  });

  it("sends a second attach and detach of one instance while the first's waits", async () => {
    const server = await driver.createServer(
      { name: 'sg', image: 'ami-0abcdef1234567890', flavor: 't3.micro', availabilityZone: 'us-east-1a' },
      { wait: FAST },
    );
    const [first, second] = [1, 2].map(() => sim.cloud.createVolume('us-east-1a', 1).record.id) as [
      string,
      string,
    ];
    const attach = (volumeId: string) =>
      driver.attachVolume({ serverId: server.id, volumeId }, { wait: FAST });
    const detach = (volumeId: string) =>
      driver.detachVolume({ serverId: server.id, volumeId }, { wait: FAST });
    sim.resetCounts();
    const a = attach(first);
    const b = attach(second);
    // With the whole-call lock, the second AttachVolume would follow the first's wait.
    await expect(a.then(() => sim.count('AttachVolume'))).resolves.toBeGreaterThanOrEqual(2);
    const [one, two] = await Promise.all([a, b]);
    expect(one.device).not.toBe(two.device);
    const c = detach(first);
    const d = detach(second);
    await expect(c.then(() => sim.count('DetachVolume'))).resolves.toBe(2);
    await expect(d).resolves.toMatchObject({ detached: true });
    await driver.deleteServer({ serverId: server.id }, { wait: FAST });
  });
});
