import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { type Ec2Sim, startEc2Sim } from '../../packages/cloud-sim/src/ec2/index.js';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { createDriver, type PlatformDriver } from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';
import { cascadingDriver, formatRegionId } from '../../packages/driver-cascading/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

/** The broker operations a crash test kills mid-call. */
export type CrashOperation = 'createServer' | 'attachVolume' | 'detachVolume' | 'deleteServer';

/** One driver over its cloud-sim emulation, with what a crash test reads of the cloud. */
export interface CrashBed {
  readonly kind: string;
  /** The driver config, as JSON, for the child process. */
  readonly config: Record<string, unknown>;
  /** The parent's own broker (the replica that repeats the call). */
  readonly driver: PlatformDriver;
  /** Another broker over the same cloud, as a second replica in this process (the caller closes it). */
  newDriver(): PlatformDriver;
  readonly create: { image: string; flavor: string; availabilityZone: string; networks?: string[] };
  newVolume(): string;
  /** How many requests of `operation` the cloud has received (it acts on them as they arrive). */
  received(operation: CrashOperation): number;
  /** Servers the cloud holds under this name, terminated ones left out. */
  serversNamed(name: string): number;
  /**
   * Holds the next two look-ups a keyed create makes before it sends (Nova's server list,
   * EC2's DescribeInstances, ARM's GET of the VM) until both have arrived (at most `ms`), so
   * two replicas starting together both find nothing and both send: the race a test means to
   * run, however the machine schedules the two.
   */
  delayLookups(ms: number): void;
  /**
   * Holds the next create request (Nova's POST, EC2's RunInstances, ARM's PUT of the VM) for
   * `ms` before the cloud acts on it, so one racer's create is accepted, and listed, first.
   */
  delayOneCreate(ms: number): void;
  /** The same for createVolume's two look-ups, and its cloud's count; only where a bed races volumes. */
  readonly volumes?: VolumeRaceBed;
  stop(): Promise<void>;
}

/** Two look-ups answered together, once both arrived (see delayLookups). */
const meetBoth = (maxMs: number) => ({ type: 'rendezvous', count: 2, maxMs }) as const;

/** What the volume create race reads of a cloud. */
export interface VolumeRaceBed {
  delayLookups(ms: number): void;
  /** Volume creates the cloud has received. */
  received(): number;
  /** Volumes the cloud holds under this name, deleted ones left out. */
  volumesNamed(name: string): number;
}

// Transitions slow enough that the child is still waiting when it is killed.
const SLOW = 400;
const wait = { initialDelayMs: 5, maxDelayMs: 20, jitter: 0, timeoutMs: 10_000 };

async function openstackLike(kind: 'openstack' | 'cascading'): Promise<CrashBed> {
  const sim: CloudSim = await startCloudSim({
    regions: [{ name: 'az1', availabilityZones: ['az1'] }],
    delays: { serverBuildMs: SLOW, serverDeleteMs: SLOW, attachMs: SLOW, detachMs: SLOW, volumeCreateMs: 0 },
    seed: 31,
  });
  const base = { auth: passwordAuthOf(sim.credentials), wait, retry: { baseDelayMs: 1, maxDelayMs: 5 } };
  const config = kind === 'openstack' ? { ...base, region: 'az1' } : base;
  const newDriver = () =>
    kind === 'openstack' ? createDriver(openstackDriver, config) : createDriver(cascadingDriver, config);
  const servers = '/compute/{region}/v2.1/{project}/servers';
  const volumes = '/volume/{region}/v3/{project}/volumes';
  const keys: Record<CrashOperation, string> = {
    createServer: `POST ${servers}`,
    attachVolume: `POST ${servers}/{id}/os-volume_attachments`,
    detachVolume: `DELETE ${servers}/{id}/os-volume_attachments/{volumeId}`,
    deleteServer: `DELETE ${servers}/{id}`,
  };
  return {
    kind,
    config,
    driver: newDriver(),
    newDriver,
    create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az1' },
    newVolume: () => {
      const id = sim.openstack.createVolume({ region: 'az1', availabilityZone: 'az1' }).id;
      return kind === 'openstack' ? id : formatRegionId('az1', id);
    },
    received: (operation) => sim.count(keys[operation]),
    delayLookups: (ms) =>
      sim.faults.add({ method: 'GET', path: `${servers}/detail`, times: 2, action: meetBoth(ms) }),
    delayOneCreate: (ms) =>
      sim.faults.add({ method: 'POST', path: servers, times: 1, action: { type: 'latency', ms } }),
    serversNamed: (name) => [...sim.state.servers.values()].filter((s) => s.name === name).length,
    volumes: {
      delayLookups: (ms) =>
        sim.faults.add({
          method: 'GET',
          path: `${volumes}/detail`,
          times: 2,
          action: meetBoth(ms),
        }),
      received: () => sim.count(`POST ${volumes}`),
      volumesNamed: (name) => [...sim.state.volumes.values()].filter((v) => v.name === name).length,
    },
    stop: () => sim.stop(),
  };
}

async function aws(): Promise<CrashBed> {
  const sim: Ec2Sim = await startEc2Sim({
    timings: { launchMs: SLOW, terminateMs: SLOW, attachMs: SLOW, detachMs: SLOW },
    seed: 32,
  });
  const config = {
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDCRASH', secretAccessKey: 'crash-secret-key' },
    retryBaseDelayMs: 0,
    wait,
  };
  const actions: Record<CrashOperation, string> = {
    createServer: 'RunInstances',
    attachVolume: 'AttachVolume',
    detachVolume: 'DetachVolume',
    deleteServer: 'TerminateInstances',
  };
  return {
    kind: 'aws',
    config,
    driver: createDriver(awsDriver, config),
    newDriver: () => createDriver(awsDriver, config),
    create: { image: 'ami-0abcdef1234567890', flavor: 't3.micro', availabilityZone: 'us-east-1a' },
    newVolume: () => sim.cloud.createVolume('us-east-1a', 1).record.id,
    received: (operation) => sim.count(actions[operation]),
    delayLookups: (ms) => sim.faults.add({ path: '/DescribeInstances', times: 2, action: meetBoth(ms) }),
    delayOneCreate: (ms) =>
      sim.faults.add({ path: '/RunInstances', times: 1, action: { type: 'latency', ms } }),
    serversNamed: (name) =>
      [...sim.cloud.instances.keys()]
        .map((id) => sim.cloud.instance(id))
        .filter((i) => i.record.tags.get('Name') === name && i.state !== 'terminated').length,
    volumes: {
      delayLookups: (ms) => sim.faults.add({ path: '/DescribeVolumes', times: 2, action: meetBoth(ms) }),
      received: () => sim.count('CreateVolume'),
      volumesNamed: (name) =>
        [...sim.cloud.volumes.values()].filter((v) => v.tags.get('Name') === name).length,
    },
    stop: () => sim.stop(),
  };
}

async function azure(): Promise<CrashBed> {
  const sim: ArmSim = await startArmSim({
    timings: { provisionMs: SLOW, updateMs: SLOW, deleteMs: SLOW },
    seed: 33,
  });
  const subnet = `/subscriptions/${sim.subscriptionId}/resourceGroups/sg-rg/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
  const config = {
    subscriptionId: sim.subscriptionId,
    resourceGroup: 'sg-rg',
    location: 'westeurope',
    endpoint: sim.url,
    pollIntervalMs: 5,
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIcrash sg@example',
    defaultSubnetId: subnet,
    wait,
  };
  const credential = {
    getToken: async () => ({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const newDriver = () =>
    createDriver(azureDriver, { ...config, credentials: { type: 'token-credential', credential } });
  const vm = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}';
  const disk = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{name}';
  const keys: Record<CrashOperation, string> = {
    createServer: `PUT ${vm}`,
    attachVolume: `PATCH ${vm}`,
    detachVolume: `PATCH ${vm}`,
    deleteServer: `DELETE ${vm}`,
  };
  return {
    kind: 'azure',
    config,
    driver: newDriver(),
    newDriver,
    create: {
      image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
      flavor: 'Standard_B2s',
      availabilityZone: '1',
      networks: [subnet],
    },
    newVolume: () => sim.cloud.addDisk({ resourceGroup: 'sg-rg', zone: '1' }),
    received: (operation) => sim.count(keys[operation]),
    delayLookups: (ms) => sim.faults.add({ method: 'GET', path: vm, times: 2, action: meetBoth(ms) }),
    delayOneCreate: (ms) =>
      sim.faults.add({ method: 'PUT', path: vm, times: 1, action: { type: 'latency', ms } }),
    serversNamed: (name) => [...sim.cloud.vms.values()].filter((v) => v.name === name).length,
    // createVolume's look-up is the GET of the disk its key names; its create the PUT of that name
    volumes: {
      delayLookups: (ms) => sim.faults.add({ method: 'GET', path: disk, times: 2, action: meetBoth(ms) }),
      received: () => sim.count(`PUT ${disk}`),
      volumesNamed: (name) => [...sim.cloud.disks.values()].filter((d) => d.tags?.Name === name).length,
    },
    stop: () => sim.stop(),
  };
}

/** Every driver's crash bed, by kind. */
export const CRASH_BEDS: Record<string, () => Promise<CrashBed>> = {
  openstack: () => openstackLike('openstack'),
  cascading: () => openstackLike('cascading'),
  aws,
  azure,
};
