// Peak memory of one getServer answered with a 50 MB body, per driver: with the default
// response cap (16 MiB, refused while it streams) against a cap too large to apply (the
// behaviour before the cap). Each run is a child process of its own, so one's heap does
// not inflate the next. Prints peak RSS growth and the ratio. Needs `pnpm exec tsc -b`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BODY_BYTES = 50 * 1024 * 1024;
const [, , mode, driver, cap] = process.argv;

if (mode === 'child') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { createDriver } = await import('../packages/core/dist/index.js');
  const sims = await import('../packages/cloud-sim/dist/index.js');
  const maxResponseBytes = Number(cap);
  const wire = (type) => ({
    type: 'wire',
    status: 200,
    headers: { 'content-type': type },
    body: '{"server": {"id": "x", "name": "',
    padToBytes: BODY_BYTES,
  });
  let sim;
  let platform;
  let serverId = 'server-1';
  if (driver === 'openstack') {
    sim = await sims.startCloudSim({ regions: [{ name: 'az1' }] });
    const { openstackDriver } = await import('../packages/driver-openstack/dist/index.js');
    platform = createDriver(openstackDriver, {
      auth: sims.passwordAuthOf(sim.credentials),
      region: 'az1',
      maxResponseBytes,
    });
    await platform.getVolume({ volumeId: 'warm' }).catch(() => {});
    sim.faults.add({ method: 'GET', path: '/compute/**', action: wire('application/json') });
  } else if (driver === 'aws') {
    sim = await sims.startEc2Sim({});
    const { awsDriver } = await import('../packages/driver-aws/dist/index.js');
    const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
    platform = createDriver(awsDriver, {
      region: 'us-east-1',
      endpoint: sim.url,
      credentials,
      maxAttempts: 1,
      maxResponseBytes,
    });
    await platform.getVolume({ volumeId: 'vol-0123456789abcdef0' }).catch(() => {});
    sim.faults.add({ path: '/DescribeInstances', action: wire('text/xml') });
    serverId = 'i-0123456789abcdef0';
  } else {
    sim = await sims.startArmSim({});
    const { azureDriver } = await import('../packages/driver-azure/dist/index.js');
    const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    platform = createDriver(azureDriver, {
      subscriptionId: sim.subscriptionId,
      resourceGroup: 'rg',
      location: 'westeurope',
      endpoint: sim.url,
      credentials: { type: 'token-credential', credential },
      maxResponseBytes,
    });
    await platform.getVolume({ volumeId: 'warm' }).catch(() => {});
    sim.faults.add({ method: 'GET', path: '/subscriptions/**', action: wire('application/json') });
  }
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  const outcome = await platform.getServer({ serverId }, { timeoutMs: 60_000 }).then(
    () => 'ok',
    (error) => error.code,
  );
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  await platform.close?.();
  await sim.stop();
  process.stdout.write(JSON.stringify({ growthMb: (peak - base) / 1048576, outcome }));
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (name, limit) => {
    const child = spawnSync(process.execPath, [self, 'child', name, String(limit)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    return JSON.parse(child.stdout || '{"growthMb": NaN, "outcome": "crashed"}');
  };
  console.log('driver     capped (16 MiB)          uncapped                 ratio');
  for (const name of ['openstack', 'aws', 'azure']) {
    const capped = run(name, 16 * 1024 * 1024);
    const uncapped = run(name, Number.MAX_SAFE_INTEGER);
    const show = (r) => `${r.growthMb.toFixed(0).padStart(4)} MB (${r.outcome})`.padEnd(25);
    console.log(
      `${name.padEnd(10)} ${show(capped)}${show(uncapped)}${(capped.growthMb / uncapped.growthMb).toFixed(2)}`,
    );
  }
}
