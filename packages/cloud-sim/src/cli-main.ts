import { parseArgs } from 'node:util';
import { type CloudSim, startCloudSim } from './cloud-sim.js';
import type { OpenStackDelays } from './openstack/openstack-options.js';

const USAGE = `usage: cloud-sim [--port N] [--regions N] [--seed N] [--token-ttl-ms N] [--delay-ms N]

Starts the OpenStack emulator on 127.0.0.1 and prints its URLs and credentials as JSON.
--delay-ms sets every state-change delay at once. Stops on SIGINT/SIGTERM.`;

/** Parses CLI arguments, starts the simulator and returns it with the JSON line to print. */
export async function runCli(argv: readonly string[]): Promise<{ sim: CloudSim; summary: string }> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '0' },
      regions: { type: 'string', default: '1' },
      seed: { type: 'string' },
      'token-ttl-ms': { type: 'string' },
      'delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new CliUsage(USAGE, 0);
  const delayMs = optionalInt(values['delay-ms'], 'delay-ms');
  const delays: Partial<OpenStackDelays> | undefined =
    delayMs === undefined
      ? undefined
      : {
          serverBuildMs: delayMs,
          serverDeleteMs: delayMs,
          volumeCreateMs: delayMs,
          volumeDeleteMs: delayMs,
          attachMs: delayMs,
          detachMs: delayMs,
        };
  const seed = optionalInt(values.seed, 'seed');
  const tokenTtlMs = optionalInt(values['token-ttl-ms'], 'token-ttl-ms');
  const sim = await startCloudSim({
    port: optionalInt(values.port, 'port') ?? 0,
    regions: optionalInt(values.regions, 'regions') ?? 1,
    ...(seed === undefined ? {} : { seed }),
    ...(tokenTtlMs === undefined ? {} : { tokenTtlMs }),
    ...(delays ? { delays } : {}),
  });
  const summary = JSON.stringify({
    url: sim.url,
    keystoneUrl: sim.keystoneUrl,
    port: sim.port,
    adminUrl: `${sim.url}/_sim`,
    regions: sim.openstack.regions().map((r) => r.name),
    credentials: { ...sim.credentials, regions: [...sim.credentials.regions] },
  });
  return { sim, summary };
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
