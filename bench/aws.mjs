// Broker vs direct EC2Client.send for the same EC2 calls against cloud-sim's EC2 emulation.
// Prints the median per-iteration time of each, their ratio (target <= 1.10) and the request counts
// (which must be equal: the broker adds no hidden requests). Needs a build first: `pnpm exec tsc -b`.
import { createRequire } from 'node:module';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { startEc2Sim } = await import('../packages/cloud-sim/dist/ec2/index.js');
const { createDriver } = await import('../packages/core/dist/index.js');
const { awsDriver } = await import('../packages/driver-aws/dist/index.js');
const { defaultsLines, requestRate, SCALE_OFF_CONFIG, scaleOffLines } = await import('./lib/scale-rows.mjs');
const { alternate, totalRequests } = await import('./lib/alternate.mjs');
const requireFromDriver = createRequire(new URL('../packages/driver-aws/package.json', import.meta.url));
const ec2 = requireFromDriver('@aws-sdk/client-ec2');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 150);
// Enough for V8 to optimize both sides' hot code before measuring (as bench/openstack.mjs does).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
// The defaults' runs are fewer: their budgets (EC2's mutating bucket refills 5 a second) pace them.
const DEFAULTS_ITERATIONS = Number(process.env.BENCH_DEFAULTS_ITERATIONS ?? 30);
const DEFAULTS_WARMUP = Number(process.env.BENCH_DEFAULTS_WARMUP ?? 30);
const IMAGE = 'ami-0abcdef1234567890';
const ZONE = 'us-east-1a';
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const WAIT = { initialDelayMs: 0, maxDelayMs: 0, jitter: 0, timeoutMs: 10_000 };

// Zero transition times: both sides see the change hold on their first read, so the
// comparison is of the same requests, not of poll timing.
const sim = await startEc2Sim({
  timings: { launchMs: 0, terminateMs: 0, attachMs: 0, detachMs: 0, createVolumeMs: 0 },
});
const brokerWith = (scale) =>
  createDriver(awsDriver, {
    region: 'us-east-1',
    endpoint: sim.url,
    credentials,
    maxAttempts: 1,
    ...(scale ? { scale } : {}),
  });
// `scale` off: the broker's own cost per call, the figure with the target. Then the defaults,
// and the defaults without the request budget, to say what the defaults add.
const brokers = {
  off: brokerWith(SCALE_OFF_CONFIG),
  defaults: brokerWith(undefined),
  unbudgeted: brokerWith({ requestBudget: false }),
};
let broker = brokers.off;
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
for (let i = 0; i < WARMUP; i++) {
  await viaBroker(volume());
  await direct(volume());
}

/** Broker and direct iterations alternated: the medians, request totals and the first iteration's actions. */
const measure = (iterations) => alternate({ iterations, sim, fresh: volume, broker: viaBroker, direct });

const { b, d, requests, perRoute: perAction } = await measure(ITERATIONS);
broker = brokers.defaults;
// Past the budgets' burst first: back-to-back calls at their sustained rate, as before the split.
await measure(DEFAULTS_WARMUP);
const defaults = await measure(DEFAULTS_ITERATIONS);
broker = brokers.unbudgeted;
await measure(5); // its own warm-up: the first calls build its clients
const unbudgeted = await measure(DEFAULTS_ITERATIONS);
for (const each of Object.values(brokers)) await each.close?.();
client.destroy();
await sim.stop();

const ratio = b / d;
console.log(`aws: ${ITERATIONS} iterations of create+attach+detach+delete against cloud-sim EC2`);
for (const line of scaleOffLines('  ', b, d, requests)) console.log(line);
console.log(`  per iteration broker ${JSON.stringify(perAction.broker)}`);
console.log(`  per iteration direct ${JSON.stringify(perAction.direct)}`);
const perIteration = totalRequests(perAction.broker);
// What the defaults add, split by measurement: the budgets' share, then the rest over `scale` off.
// Ratios, not milliseconds: each run has its own direct median, and this machine's load moves both.
const why = `the request budgets (EC2's: Describe* 100 at 20/s, mutating 50 at 5/s) pace it once their burst is spent: without them the ratio falls from ${(defaults.b / defaults.d).toFixed(2)} to ${(unbudgeted.b / unbudgeted.d).toFixed(2)} (\`scale\` off: ${(b / d).toFixed(2)}). Back to back on a sim that answers in about 1 ms the broker asks ${requestRate(perIteration, unbudgeted.b).toFixed(0)} req/s, past rates EC2 itself enforces.`;
for (const line of [
  ...defaultsLines('  ', 'scale defaults', defaults.b, defaults.d, why),
  ...defaultsLines(
    '  ',
    'scale defaults without the request budget',
    unbudgeted.b,
    unbudgeted.d,
    `against ${(b / d).toFixed(2)} with \`scale\` off: single flight, coalescing and adaptive polling, ${unbudgeted.b.toFixed(1)} ms against ${b.toFixed(1)} ms an iteration, within this machine's run-to-run spread; requests broker ${unbudgeted.requests.broker}, direct ${unbudgeted.requests.direct}`,
  ),
])
  console.log(line);
if (requests.broker !== requests.direct || ratio > 1.1) process.exitCode = 1;
