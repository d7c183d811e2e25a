// One driver, 1,000 concurrent getVolume calls against its cloud-sim emulation on a fresh
// driver: how many token requests they made, how long they took, and the process's peak memory.
// Usage: node bench/lib/token-child.mjs <openstack|cascading|azure|aws>  (prints one JSON line)
import { performance } from 'node:perf_hooks';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = new URL('../../packages/', import.meta.url);
const load = (path) => import(new URL(path, root).href);
const { createDriver } = await load('core/dist/index.js');
const CALLS = 1_000;
const kind = process.argv[2];

async function setup() {
  if (kind === 'openstack' || kind === 'cascading') {
    const { passwordAuthOf, startCloudSim } = await load('cloud-sim/dist/index.js');
    const sim = await startCloudSim({ regions: [{ name: 'az1' }, { name: 'az2' }], seed: 1 });
    const auth = passwordAuthOf(sim.credentials);
    const id = sim.openstack.createVolume({ region: 'az1' }).id;
    if (kind === 'openstack') {
      const { openstackDriver } = await load('driver-openstack/dist/index.js');
      return {
        sim,
        driver: createDriver(openstackDriver, { auth, region: 'az1' }),
        volumeId: id,
        tokens: () => sim.count('POST /v3/auth/tokens'),
      };
    }
    const { cascadingDriver, formatRegionId } = await load('driver-cascading/dist/index.js');
    return {
      sim,
      driver: createDriver(cascadingDriver, { auth }),
      volumeId: formatRegionId('az1', id),
      tokens: () => sim.count('POST /v3/auth/tokens'),
    };
  }
  if (kind === 'azure') {
    const { startArmSim } = await load('cloud-sim/dist/azure/index.js');
    const { azureDriver } = await load('driver-azure/dist/index.js');
    const sim = await startArmSim({ seed: 1 });
    let tokens = 0;
    const credential = {
      async getToken() {
        tokens++;
        return { token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const driver = createDriver(azureDriver, {
      subscriptionId: sim.subscriptionId,
      resourceGroup: 'sg-rg',
      location: 'westeurope',
      endpoint: sim.url,
      credentials: { type: 'token-credential', credential },
    });
    return { sim, driver, volumeId: sim.cloud.addDisk({ resourceGroup: 'sg-rg' }), tokens: () => tokens };
  }
  const { startEc2Sim } = await load('cloud-sim/dist/ec2/index.js');
  const { awsDriver } = await load('driver-aws/dist/index.js');
  const sim = await startEc2Sim({ seed: 1 });
  const driver = createDriver(awsDriver, {
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  });
  // SigV4 signs every request with the key itself: there is no token endpoint to call.
  return { sim, driver, volumeId: sim.cloud.createVolume('us-east-1a', 1).record.id, tokens: () => 0 };
}

const { sim, driver, volumeId, tokens } = await setup();
const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: CALLS }, () => driver.getVolume({ volumeId })));
const ms = performance.now() - started;
const failed = results.filter((r) => r.status === 'rejected');
await driver.close?.();
await sim.stop();
console.log(
  JSON.stringify({
    kind,
    calls: CALLS,
    failed: failed.length,
    firstError: failed[0]?.reason?.message,
    tokenRequests: tokens(),
    ms,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    heapMB: process.memoryUsage().heapUsed / 2 ** 20,
  }),
);
process.exit(0);
