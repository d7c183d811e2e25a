// Broker vs direct EC2Client.send for the same EC2 calls against cloud-sim's EC2 emulation.
// Prints the median per-iteration time of each, their ratio (target <= 1.10) and the request counts
// (which must be equal: the broker adds no hidden requests). Needs a build first: `pnpm exec tsc -b`.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { startEc2Sim } = await import('../packages/cloud-sim/dist/ec2/index.js');
const { createDriver } = await import('../packages/core/dist/index.js');
const { awsDriver } = await import('../packages/driver-aws/dist/index.js');
const requireFromDriver = createRequire(new URL('../packages/driver-aws/package.json', import.meta.url));
const ec2 = requireFromDriver('@aws-sdk/client-ec2');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 150);
// Enough for V8 to optimize both sides' hot code before measuring (as bench/openstack.mjs does).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const IMAGE = 'ami-0abcdef1234567890';
const ZONE = 'us-east-1a';
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const WAIT = { initialDelayMs: 0, maxDelayMs: 0, jitter: 0, timeoutMs: 10_000 };

// Zero transition times: both sides see the change hold on their first read, so the
// comparison is of the same requests, not of poll timing.
const sim = await startEc2Sim({
  timings: { launchMs: 0, terminateMs: 0, attachMs: 0, detachMs: 0, createVolumeMs: 0 },
});
const broker = createDriver(awsDriver, {
  region: 'us-east-1',
  endpoint: sim.url,
  credentials,
  maxAttempts: 1,
});
const client = new ec2.EC2Client({ region: 'us-east-1', endpoint: sim.url, credentials, maxAttempts: 1 });

async function viaBroker(volumeId) {
  const server = await broker.createServer(
    { name: 'b', image: IMAGE, flavor: 't3.micro', availabilityZone: ZONE },
    { wait: WAIT },
  );
  await broker.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
  await broker.detachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
  await broker.deleteServer({ serverId: server.id }, { wait: WAIT });
}

// The same calls a careful hand-written integration makes: launch + one read, both reads
// before the attach (zone check, device choice), one read to see it hold, and so on.
async function direct(volumeId) {
  const run = await client.send(
    new ec2.RunInstancesCommand({
      ImageId: IMAGE,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: ZONE },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'd' }] }],
    }),
  );
  const id = run.Instances[0].InstanceId;
  await client.send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] }));
  await Promise.all([
    client.send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] })),
    client.send(new ec2.DescribeVolumesCommand({ VolumeIds: [volumeId] })),
  ]);
  await client.send(new ec2.AttachVolumeCommand({ VolumeId: volumeId, InstanceId: id, Device: '/dev/sdf' }));
  await client.send(new ec2.DescribeVolumesCommand({ VolumeIds: [volumeId] }));
  await client.send(new ec2.DescribeVolumesCommand({ VolumeIds: [volumeId] }));
  await client.send(new ec2.DetachVolumeCommand({ VolumeId: volumeId, InstanceId: id }));
  await client.send(new ec2.DescribeVolumesCommand({ VolumeIds: [volumeId] }));
  await client.send(new ec2.TerminateInstancesCommand({ InstanceIds: [id] }));
  await client.send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] }));
}

const volume = () => sim.cloud.createVolume(ZONE, 1).record.id;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

for (let i = 0; i < WARMUP; i++) {
  await viaBroker(volume());
  await direct(volume());
}
const times = { broker: [], direct: [] };
const requests = { broker: 0, direct: 0 };
const perAction = { broker: {}, direct: {} };
for (let i = 0; i < ITERATIONS; i++) {
  // Alternate the order so neither side always runs on a warmer process.
  for (const [name, fn] of i % 2 === 0
    ? [
        ['broker', viaBroker],
        ['direct', direct],
      ]
    : [
        ['direct', direct],
        ['broker', viaBroker],
      ]) {
    const id = volume();
    sim.resetCounts();
    const started = performance.now();
    await fn(id);
    times[name].push(performance.now() - started);
    requests[name] += total(sim.counts());
    if (i === 0) perAction[name] = sim.counts();
  }
}
await broker.close?.();
client.destroy();
await sim.stop();

const b = median(times.broker);
const d = median(times.direct);
const ratio = b / d;
console.log(`aws: ${ITERATIONS} iterations of create+attach+detach+delete against cloud-sim EC2`);
console.log(
  `  median broker ${b.toFixed(2)} ms, direct ${d.toFixed(2)} ms, ratio ${ratio.toFixed(3)} (target <= 1.10)`,
);
console.log(
  `  requests broker ${requests.broker}, direct ${requests.direct} (${requests.broker === requests.direct ? 'equal' : 'DIFFERENT'})`,
);
console.log(`  per iteration broker ${JSON.stringify(perAction.broker)}`);
console.log(`  per iteration direct ${JSON.stringify(perAction.direct)}`);
if (requests.broker !== requests.direct || ratio > 1.1) process.exitCode = 1;
