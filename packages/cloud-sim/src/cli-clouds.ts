import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArmSim } from './azure/arm-sim.js';
import type { EntraSim } from './azure/entra-sim.js';
import type { CloudSim } from './cloud-sim.js';
import type { Ec2Sim } from './ec2/ec2-sim.js';
import { DEFAULT_FLAVORS, DEFAULT_IMAGES } from './openstack/catalog-data.js';

/** The resource group the ARM sim's seeded disks and the azure config use (the demo's). */
export const ARM_RESOURCE_GROUP = 'sg-rg';
/** An image reference the ARM sim accepts (any `publisher:offer:sku:version` is accepted). */
export const ARM_IMAGE = 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest';
/** Volumes seeded in each cloud's first zone, so that `volume list` shows something at once. */
export const SEEDED_VOLUMES = 3;

/** What one cloud offers: the names to pass to `server create` and the seeded volumes. */
export interface CloudInfo {
  readonly config: string;
  readonly zones: readonly string[];
  readonly images: readonly string[];
  readonly flavors: readonly string[];
  readonly volumes: readonly string[];
}

/** The three emulators' offers, by platform name (the name each config file uses). */
export interface CloudsInfo {
  readonly openstack: CloudInfo;
  readonly aws: CloudInfo;
  readonly azure: CloudInfo;
}

/**
 * Seeds `SEEDED_VOLUMES` available volumes in each cloud's first zone and returns
 * their ids, by platform name. EC2's are `creating` for the sim's create delay.
 */
export function seedVolumes(sim: CloudSim, ec2: Ec2Sim, arm: ArmSim): Record<keyof CloudsInfo, string[]> {
  const seeded: Record<keyof CloudsInfo, string[]> = { openstack: [], aws: [], azure: [] };
  const ec2Zone = ec2.cloud.zones[0] ?? 'us-east-1a';
  for (let n = 1; n <= SEEDED_VOLUMES; n++) {
    seeded.openstack.push(sim.openstack.createVolume({ name: `vol-${n}`, sizeGiB: 1 }).id);
    const tags = new Map([['Name', `vol-${n}`]]);
    seeded.aws.push(ec2.cloud.createVolume(ec2Zone, 1, 'gp3', tags).record.id);
    seeded.azure.push(arm.cloud.addDisk({ resourceGroup: ARM_RESOURCE_GROUP, zone: '1', name: `vol-${n}` }));
  }
  return seeded;
}

/**
 * Writes one broker config file per cloud into `dir` (a new temporary directory
 * when undefined) and returns the directory, the offers, and how to remove what it made.
 */
export async function writeCloudConfigs(
  dir: string | undefined,
  sims: { sim: CloudSim; ec2: Ec2Sim; arm: ArmSim; entra: EntraSim },
  volumes: Record<keyof CloudsInfo, string[]>,
): Promise<{ dir: string; clouds: CloudsInfo; remove(): Promise<void> }> {
  const own = dir === undefined;
  const target = dir ?? (await mkdtemp(join(tmpdir(), 'cloud-sim-')));
  if (!own) await mkdir(target, { recursive: true });
  const caFile = join(target, 'entra-ca.pem');
  await writeFile(caFile, sims.entra.caPem);
  const texts = {
    openstack: openstackYaml(sims.sim),
    aws: awsYaml(sims.ec2),
    azure: azureYaml(sims.arm, sims.entra, caFile),
  };
  const paths = {
    openstack: join(target, 'openstack.yaml'),
    aws: join(target, 'aws.yaml'),
    azure: join(target, 'azure.yaml'),
  };
  await Promise.all(
    Object.entries(texts).map(([name, text]) => writeFile(join(target, `${name}.yaml`), text)),
  );
  const region = sims.sim.openstack.regions()[0];
  const clouds: CloudsInfo = {
    openstack: {
      config: paths.openstack,
      zones: region?.availabilityZones ?? [],
      images: DEFAULT_IMAGES.map((image) => image.name),
      flavors: DEFAULT_FLAVORS.map((flavor) => flavor.name),
      volumes: volumes.openstack,
    },
    aws: {
      config: paths.aws,
      zones: sims.ec2.cloud.zones,
      images: [...sims.ec2.cloud.images],
      flavors: [...sims.ec2.cloud.instanceTypes],
      volumes: volumes.aws,
    },
    azure: {
      config: paths.azure,
      zones: ['1', '2', '3'],
      images: [ARM_IMAGE],
      flavors: sims.arm.cloud.vmSizes,
      volumes: volumes.azure,
    },
  };
  // A directory the user named is theirs to keep; a temporary one goes with the emulator.
  const remove = async (): Promise<void> => {
    if (own) await rm(target, { recursive: true, force: true });
  };
  return { dir: target, clouds, remove };
}

/** The human-readable start message: each cloud's config file, zones, images, flavors, volumes. */
export function cloudsGuide(clouds: CloudsInfo, adminUrl: string, entraUrl: string): string {
  const lines: string[] = [];
  for (const [name, info] of Object.entries(clouds) as [string, CloudInfo][]) {
    lines.push(`${name}: config ${info.config}`);
    lines.push(`  try:     hybrid-broker --config ${info.config} volume list ${name}`);
    lines.push(
      `  zones:   ${info.zones.join(', ')}`,
      `  images:  ${info.images.join(', ')}`,
      `  flavors: ${info.flavors.join(', ')}`,
      `  volumes: ${info.volumes.join(', ')} (in zone ${info.zones[0] ?? '?'})`,
    );
  }
  lines.push(
    `entra id: ${entraUrl} (azure.yaml's client secret gets its token there; CA in entra-ca.pem)`,
    `admin API (seed volumes, faults): ${adminUrl}/...; Ctrl-C stops every emulator.`,
  );
  return lines.join('\n');
}

function openstackYaml(sim: CloudSim): string {
  const c = sim.credentials;
  return `# cloud-sim's OpenStack (Keystone, Nova, Cinder, Glance) on loopback.
platforms:
  openstack:
    driver: openstack
    auth:
      method: password
      url: ${sim.keystoneUrl}
      username: ${c.username}
      userDomainName: ${c.userDomainName}
      password: ${c.password}
      projectName: ${c.projectName}
      projectDomainName: ${c.projectDomainName}
    region: ${sim.openstack.regions()[0]?.name ?? 'RegionOne'}
`;
}

function awsYaml(ec2: Ec2Sim): string {
  return `# cloud-sim's EC2 on loopback; it accepts any access key.
platforms:
  aws:
    driver: aws
    region: ${ec2.cloud.region}
    endpoint: ${ec2.url}
    credentials: { accessKeyId: AKIDCLOUDSIM, secretAccessKey: cloud-sim-secret }
`;
}

function azureYaml(arm: ArmSim, entra: EntraSim, caFile: string): string {
  const subnet = `/subscriptions/${arm.subscriptionId}/resourceGroups/${ARM_RESOURCE_GROUP}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
  return `# cloud-sim's Azure Resource Manager on loopback, and its Entra ID (https, signed by the
# emulator's own CA in entra-ca.pem) that turns the client secret into a bearer token.
platforms:
  azure:
    driver: azure
    subscriptionId: ${arm.subscriptionId}
    resourceGroup: ${ARM_RESOURCE_GROUP}
    location: ${arm.cloud.location}
    endpoint: ${arm.url}
    authorityHost: ${entra.url}
    authorityCaFile: ${caFile}
    credentials:
      type: client-secret
      tenantId: ${entra.tenantId}
      clientId: ${entra.clientId}
      clientSecret: ${entra.clientSecret}
    pollIntervalMs: 0
    sshPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIcloudsimkey sg@cloud-sim
    defaultSubnetId: ${subnet}
`;
}
