// The four platforms of the soak, each a driver over its cloud-sim emulation with
// 10% of requests failing transiently, and what the audit reads of each cloud's state.
const root = new URL('../../packages/', import.meta.url);
const load = (path) => import(new URL(path, root).href);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { passwordAuthOf, startCloudSim } = await load('cloud-sim/dist/index.js');
const { startEc2Sim } = await load('cloud-sim/dist/ec2/index.js');
const { startArmSim } = await load('cloud-sim/dist/azure/index.js');
const { createDriver } = await load('core/dist/index.js');
const { openstackDriver } = await load('driver-openstack/dist/index.js');
const { cascadingDriver, formatRegionId } = await load('driver-cascading/dist/index.js');
const { awsDriver } = await load('driver-aws/dist/index.js');
const { azureDriver } = await load('driver-azure/dist/index.js');

/** Transient faults, 2.5% each: about 10% of all requests fail once. */
export const FAULT_MIX = [
  { type: 'error', status: 500 },
  { type: 'unavailable' },
  { type: 'throttle', retryAfterSeconds: 0 },
  { type: 'reset' },
];
const faults = (probability) => FAULT_MIX.map((action) => ({ path: '/**', probability, action }));
const retry = { maxAttempts: 5, baseDelayMs: 2, maxDelayMs: 20 };

/** Starts every emulation with the fault mix and returns the platforms. */
export async function startClouds({ faultRate, wait }) {
  const each = faultRate / FAULT_MIX.length;
  const delays = { serverBuildMs: 10, serverDeleteMs: 5, attachMs: 5, detachMs: 5, volumeCreateMs: 0 };
  const os = await startCloudSim({ regions: [{ name: 'az1' }, { name: 'az2' }], delays, seed: 21 });
  const ec2 = await startEc2Sim({
    timings: { launchMs: 10, terminateMs: 5, attachMs: 5, detachMs: 5 },
    seed: 22,
  });
  const arm = await startArmSim({ timings: { provisionMs: 10, updateMs: 5, deleteMs: 5 }, seed: 23 });
  const auth = passwordAuthOf(os.credentials);
  const platform = { wait, retry };
  const subnet = `/subscriptions/${arm.subscriptionId}/resourceGroups/sg-rg/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
  const platforms = [
    {
      name: 'openstack',
      make: () => createDriver(openstackDriver, { ...platform, auth, region: 'az1' }),
      create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az1' },
      volume: () => os.openstack.createVolume({ region: 'az1', availabilityZone: 'az1' }).id,
    },
    {
      name: 'cascading',
      make: () => createDriver(cascadingDriver, { ...platform, auth }),
      create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az2' },
      volume: () =>
        formatRegionId('az2', os.openstack.createVolume({ region: 'az2', availabilityZone: 'az2' }).id),
    },
    {
      name: 'aws',
      make: () =>
        createDriver(awsDriver, {
          ...platform,
          region: 'us-east-1',
          endpoint: ec2.url,
          credentials: { accessKeyId: 'AKIDSOAK', secretAccessKey: 'soak-secret' },
          maxAttempts: 5,
          retryBaseDelayMs: 2,
        }),
      create: { image: 'ami-0abcdef1234567890', flavor: 't3.micro', availabilityZone: 'us-east-1a' },
      volume: () => ec2.cloud.createVolume('us-east-1a', 1).record.id,
    },
    {
      name: 'azure',
      make: () =>
        createDriver(azureDriver, {
          ...platform,
          subscriptionId: arm.subscriptionId,
          resourceGroup: 'sg-rg',
          location: 'westeurope',
          endpoint: arm.url,
          credentials: {
            type: 'token-credential',
            credential: {
              getToken: async () => ({ token: 'soak', expiresOnTimestamp: Date.now() + 3_600_000 }),
            },
          },
          pollIntervalMs: 0,
          sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsoak sg@example',
          defaultSubnetId: subnet,
        }),
      create: { image: 'Canonical:ubuntu:22_04-lts:latest', flavor: 'Standard_B1s', availabilityZone: '1' },
      volume: () => arm.cloud.addDisk({ resourceGroup: 'sg-rg', zone: '1' }),
    },
  ];
  // Each platform has two brokers on the same cloud, as two replicas of the arbitrator would.
  for (const p of platforms) {
    p.driver = p.make();
    p.second = p.make();
  }
  const sims = [os, ec2, arm];
  return {
    platforms,
    /** Turns the fault mix on (after the drivers warmed up: a soak is about steady state). */
    injectFaults() {
      for (const sim of sims) for (const rule of faults(each)) sim.faults.add(rule);
    },
    clearFaults() {
      for (const sim of sims) sim.faults.clear();
    },
    faultsFired: () => sims.flatMap((s) => s.faults.list()).reduce((n, r) => n + r.fired, 0),
    requests: () => sims.reduce((n, s) => n + Object.values(s.counts()).reduce((a, b) => a + b, 0), 0),
    /** What the audit checks, read from the clouds' own state. */
    audit() {
      const byName = (names) => {
        const seen = new Map();
        for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
        return [...seen].filter(([, count]) => count > 1).map(([name]) => name);
      };
      const now = Date.now();
      const ec2Volumes = [...ec2.cloud.volumes.keys()].map((id) => ec2.cloud.volume(id));
      return {
        duplicateServers: [
          ...byName([...os.state.servers.values()].map((s) => s.name)),
          ...byName([...ec2.cloud.instances.values()].map((i) => i.tags.get('Name'))),
          ...byName([...arm.cloud.vms.values()].map((v) => v.name)),
        ],
        transitionalVolumes: [
          ...[...os.state.volumes.values()]
            .filter((v) => /attaching|detaching/.test(v.status))
            .map((v) => v.id),
          ...ec2Volumes
            .filter((v) => v.attachments.some((a) => a.state === 'attaching' || a.state === 'detaching'))
            .map((v) => v.record.id),
          ...[...arm.cloud.vms.values()].filter((v) => v.provisioningState === 'Updating').map((v) => v.name),
        ],
        // a volume on two servers at once (none of the soak's volumes is multi-attach)
        doubleHeld: [
          ...[...os.state.volumes.values()].filter((v) => v.attachments.length > 1).map((v) => v.id),
          ...ec2Volumes
            .filter((v) => v.attachments.filter((a) => a.state !== 'detached').length > 1)
            .map((v) => v.record.id),
          ...[...arm.cloud.disks.values()]
            .filter(
              (d) =>
                [...arm.cloud.vms.values()].filter((vm) =>
                  vm.dataDisks.some(
                    (e) => String(e.managedDisk?.id ?? '').toLowerCase() === d.id.toLowerCase(),
                  ),
                ).length > 1,
            )
            .map((d) => d.name),
        ],
        servers: os.state.servers.size + ec2.cloud.instances.size + arm.cloud.vms.size,
        volumes: os.state.volumes.size + ec2.cloud.volumes.size + arm.cloud.disks.size,
        checkedAt: now,
      };
    },
    async stop() {
      for (const p of platforms) {
        await p.driver.close?.();
        await p.second.close?.();
      }
      await Promise.all(sims.map((s) => s.stop()));
    },
  };
}
