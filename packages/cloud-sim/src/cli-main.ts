import { parseArgs } from 'node:util';
import { type ArmSim, startArmSim } from './azure/arm-sim.js';
import { type EntraSim, startEntraSim } from './azure/entra-sim.js';
import { type CloudsInfo, cloudsGuide, seedVolumes, writeCloudConfigs } from './cli-clouds.js';
import { type CloudSim, startCloudSim } from './cloud-sim.js';
import { type Ec2Sim, startEc2Sim } from './ec2/ec2-sim.js';
import type { OpenStackDelays } from './openstack/openstack-options.js';

const USAGE = `usage: cloud-sim [--port N] [--ec2-port N] [--arm-port N] [--config-dir DIR] [--json]
                 [--regions N] [--seed N] [--token-ttl-ms N] [--delay-ms N]

Starts the OpenStack, EC2 and Azure ARM emulators on 127.0.0.1 (port 0: a free one),
and Entra ID's token endpoint over https (for azure.yaml's client secret),
seeds 3 available volumes in each cloud's first zone, writes a broker config file per
cloud (openstack.yaml, aws.yaml, azure.yaml) into --config-dir (default: a temporary
directory, removed on stop) and prints them with each cloud's zones, images and flavors.
--json prints all of it as one JSON line instead. --regions, --seed, --token-ttl-ms and
--delay-ms shape OpenStack; --delay-ms sets every state-change delay at once.
Stops on SIGINT/SIGTERM.`;

/** The running emulators, what to print, and how to stop them. */
export interface CliRun {
  readonly sim: CloudSim;
  readonly ec2: Ec2Sim;
  readonly arm: ArmSim;
  /** Each cloud's config file, zones, images, flavors and seeded volumes. */
  readonly clouds: CloudsInfo;
  /** Everything as one JSON object (the output of `--json`). */
  readonly summary: string;
  /** The human-readable start message (the default output). */
  readonly guide: string;
  /** True when `--json` was given. */
  readonly json: boolean;
  /** Stops all three emulators and removes a temporary config directory. */
  stop(): Promise<void>;
}

/** Parses CLI arguments, starts the three emulators and returns them with what to print. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '0' },
      'ec2-port': { type: 'string', default: '0' },
      'arm-port': { type: 'string', default: '0' },
      'config-dir': { type: 'string' },
      json: { type: 'boolean' },
      regions: { type: 'string', default: '1' },
      seed: { type: 'string' },
      'token-ttl-ms': { type: 'string' },
      'delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new CliUsage(USAGE, 0);
  const delayMs = optionalInt(values['delay-ms'], 'delay-ms');
  const seed = optionalInt(values.seed, 'seed');
  const tokenTtlMs = optionalInt(values['token-ttl-ms'], 'token-ttl-ms');
  const ec2Port = optionalInt(values['ec2-port'], 'ec2-port') ?? 0;
  const armPort = optionalInt(values['arm-port'], 'arm-port') ?? 0;
  const sim = await startCloudSim({
    port: optionalInt(values.port, 'port') ?? 0,
    regions: optionalInt(values.regions, 'regions') ?? 1,
    ...(seed === undefined ? {} : { seed }),
    ...(tokenTtlMs === undefined ? {} : { tokenTtlMs }),
    ...(delayMs === undefined ? {} : { delays: openstackDelays(delayMs) }),
  });
  const started: { stop(): Promise<void> }[] = [sim];
  try {
    const ec2 = await startEc2Sim({ port: ec2Port, ...(seed === undefined ? {} : { seed }) });
    started.push(ec2);
    const arm = await startArmSim({ port: armPort, ...(seed === undefined ? {} : { seed }) });
    started.push(arm);
    const entra = await startEntraSim();
    started.push(entra);
    const volumes = seedVolumes(sim, ec2, arm);
    const written = await writeCloudConfigs(values['config-dir'], { sim, ec2, arm, entra }, volumes);
    const stop = async (): Promise<void> => {
      await Promise.all(started.map((s) => s.stop()));
      await written.remove();
    };
    return {
      sim,
      ec2,
      arm,
      clouds: written.clouds,
      summary: summaryOf(sim, ec2, arm, written.clouds, entra),
      guide: cloudsGuide(written.clouds, `${sim.url}/_sim`, entra.url),
      json: values.json === true,
      stop,
    };
  } catch (error) {
    // A port in use (or an unwritable directory) must not leave the other emulators running.
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}

function summaryOf(sim: CloudSim, ec2: Ec2Sim, arm: ArmSim, clouds: CloudsInfo, entra: EntraSim): string {
  return JSON.stringify({
    url: sim.url,
    keystoneUrl: sim.keystoneUrl,
    port: sim.port,
    adminUrl: `${sim.url}/_sim`,
    regions: sim.openstack.regions().map((r) => r.name),
    credentials: { ...sim.credentials, regions: [...sim.credentials.regions] },
    ec2: { url: ec2.url, region: ec2.cloud.region },
    arm: { url: arm.url, subscriptionId: arm.subscriptionId, location: arm.cloud.location },
    entra: { url: entra.url, tenantId: entra.tenantId, clientId: entra.clientId },
    clouds,
  });
}

function openstackDelays(delayMs: number): Partial<OpenStackDelays> {
  return {
    serverBuildMs: delayMs,
    serverDeleteMs: delayMs,
    volumeCreateMs: delayMs,
    volumeDeleteMs: delayMs,
    attachMs: delayMs,
    detachMs: delayMs,
    serverPowerMs: delayMs,
  };
}

/** Thrown for `--help` (exit code 0, message to stdout) or a bad argument (exit code 2, to stderr). */
export class CliUsage extends Error {
  override readonly name = 'CliUsage';
  /** The process exit code: 0 for the help asked for, 2 for a usage error. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

function optionalInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new CliUsage(`--${name} must be a non-negative integer\n\n${USAGE}`);
  return n;
}
