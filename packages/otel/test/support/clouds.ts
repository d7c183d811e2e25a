import {
  type ArmSim,
  type CloudSim,
  type Ec2Sim,
  passwordAuthOf,
  startArmSim,
  startCloudSim,
  startEc2Sim,
} from '@hybrid-broker/cloud-sim';
import type { BrokerConfig, FetchFn } from '@hybrid-broker/core';

const RG = 'otel-rg';
const WAIT = { initialDelayMs: 2, maxDelayMs: 10, jitter: 0, timeoutMs: 10_000 };

/** One platform of the trace test: its create request and a volume made in its cloud. */
export interface TracedPlatform {
  readonly name: 'memory' | 'openstack' | 'cascade' | 'aws' | 'azure';
  readonly driver: string;
  readonly create: { image: string; flavor: string; availabilityZone: string };
  readonly volume: () => string;
  /** A volume id of that platform's form that does not exist. */
  readonly missingVolume: string;
}

/** cloud-sim's OpenStack (two regions), EC2 and ARM, and a broker config naming all five platforms. */
export interface Clouds {
  readonly config: BrokerConfig;
  readonly platforms: readonly TracedPlatform[];
  /** Headers of every request the OpenStack drivers sent, in order. */
  readonly openstackHeaders: Record<string, string>[];
  readonly fetch: FetchFn;
  stop(): Promise<void>;
}

/** Starts the emulators on loopback. */
export async function startClouds(): Promise<Clouds> {
  const openstack: CloudSim = await startCloudSim({
    regions: [{ name: 'RegionOne' }, { name: 'RegionTwo' }],
    delays: { serverBuildMs: 10, attachMs: 5, detachMs: 5, serverDeleteMs: 5 },
  });
  const ec2: Ec2Sim = await startEc2Sim({
    timings: { launchMs: 10, attachMs: 5, detachMs: 5, terminateMs: 5 },
  });
  const arm: ArmSim = await startArmSim({ timings: { provisionMs: 10, updateMs: 5, deleteMs: 5 } });
  const subnet = `/subscriptions/${arm.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/default`;
  const openstackHeaders: Record<string, string>[] = [];
  const fetch: FetchFn = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(openstack.url)) {
      openstackHeaders.push({ url, ...(init?.headers as Record<string, string> | undefined) });
    }
    return globalThis.fetch(input, init);
  };
  const config: BrokerConfig = {
    defaults: { wait: WAIT },
    platforms: {
      memory: {
        driver: 'memory',
        availabilityZones: ['az-1'],
        volumes: [{ id: 'vol-mem-1', availabilityZone: 'az-1' }],
      },
      openstack: { driver: 'openstack', auth: passwordAuthOf(openstack.credentials), region: 'RegionOne' },
      cascade: { driver: 'cascading', auth: passwordAuthOf(openstack.credentials) },
      aws: {
        driver: 'aws',
        region: 'us-east-1',
        endpoint: ec2.url,
        credentials: { accessKeyId: 'AKIDOTELTEST', secretAccessKey: 'otel-test-secret-key' },
        retryBaseDelayMs: 0,
      },
      azure: {
        driver: 'azure',
        subscriptionId: arm.subscriptionId,
        resourceGroup: RG,
        location: 'westeurope',
        endpoint: arm.url,
        credentials: {
          type: 'token-credential',
          credential: {
            getToken: async () => ({ token: 'otel-test', expiresOnTimestamp: Date.now() + 3_600_000 }),
          },
        },
        pollIntervalMs: 0,
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIoteltest sg@otel',
        defaultSubnetId: subnet,
      },
    },
  } as unknown as BrokerConfig;
  const platforms: TracedPlatform[] = [
    {
      name: 'memory',
      driver: 'memory',
      create: { image: 'cirros', flavor: 'm1.small', availabilityZone: 'az-1' },
      volume: () => 'vol-mem-1',
      missingVolume: 'vol-mem-missing',
    },
    {
      name: 'openstack',
      driver: 'openstack',
      create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'RegionOne' },
      volume: () =>
        openstack.openstack.createVolume({ region: 'RegionOne', availabilityZone: 'RegionOne' }).id,
      missingVolume: '00000000-0000-4000-8000-000000000000',
    },
    {
      name: 'cascade',
      driver: 'cascading',
      create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'RegionTwo' },
      volume: () =>
        openstack.openstack.createVolume({ region: 'RegionTwo', availabilityZone: 'RegionTwo' }).id,
      missingVolume: '00000000-0000-4000-8000-000000000000',
    },
    {
      name: 'aws',
      driver: 'aws',
      create: { image: 'ami-0abcdef1234567890', flavor: 't3.micro', availabilityZone: 'us-east-1a' },
      volume: () => ec2.cloud.createVolume('us-east-1a', 8).record.id,
      missingVolume: 'vol-0123456789abcdef0',
    },
    {
      name: 'azure',
      driver: 'azure',
      create: {
        image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
        flavor: 'Standard_B2s',
        availabilityZone: '1',
      },
      volume: () => arm.cloud.addDisk({ resourceGroup: RG, zone: '1', name: 'original' }),
      missingVolume: `/subscriptions/${arm.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/disks/missing`,
    },
  ];
  return {
    config,
    platforms,
    openstackHeaders,
    fetch,
    async stop() {
      await Promise.all([openstack.stop(), ec2.stop(), arm.stop()]);
    },
  };
}
