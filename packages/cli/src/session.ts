import { resolve } from 'node:path';
import {
  type AnyDriverDefinition,
  type Broker,
  type BrokerConfig,
  BrokerError,
  createBroker,
  type EventSink,
  isBrokerError,
  loadConfigFile,
  memoryDriver,
} from '@hybrid-broker/core';
import type { CliIo } from './cli-io.js';
import { requireDriverPackages } from './driver-packages.js';
import { loadDrivers } from './drivers.js';
import { memoryDriverWithStateFile } from './memory-state-file.js';
import { type SecretScrubber, secretsOfConfig } from './secrets.js';

/** The config file read when neither `--config` nor `HYBRID_BROKER_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = './hybrid-broker.yaml';

/** The options every command shares (the program's own options). */
export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  /** Extra driver modules (`--driver`, repeatable). */
  readonly driver?: readonly string[];
  readonly memoryState?: string;
}

/** Where the config comes from: `--config`, then `HYBRID_BROKER_CONFIG`, then the default file. */
export function configPath(options: GlobalOptions, io: CliIo): string {
  return resolve(io.cwd, options.config ?? io.env.HYBRID_BROKER_CONFIG ?? DEFAULT_CONFIG_FILE);
}

/**
 * Reads the config and creates the broker with every driver the CLI knows.
 * The config's secrets go into `scrubber` before the config is validated, so
 * even a validation error cannot print one.
 */
export async function openBroker(
  options: GlobalOptions,
  io: CliIo,
  scrubber: SecretScrubber,
  events: EventSink,
): Promise<Broker> {
  const loaded = await loadDrivers(options.driver ?? [], io.cwd);
  if (options.verbose) {
    for (const skip of loaded.skipped) {
      io.stderr.write(`note: driver package ${skip.specifier} not loaded: ${scrubber.text(skip.reason)}\n`);
    }
  }
  const statePath = options.memoryState ?? io.env.HYBRID_BROKER_MEMORY_STATE;
  const memory =
    statePath === undefined ? memoryDriver : memoryDriverWithStateFile(resolve(io.cwd, statePath));
  const definitions: AnyDriverDefinition[] = [...loaded.definitions, memory];
  const config = await readConfig(configPath(options, io), io);
  scrubber.add(secretsOfConfig(config, new Map(definitions.map((d) => [d.kind, d]))));
  requireDriverPackages(config, new Set(definitions.map((d) => d.kind)), loaded.skipped);
  return createBroker(config as BrokerConfig, {
    drivers: definitions,
    services: { events },
    // Secrets a driver finds outside the config (clouds.yaml, secure.yaml, OS_*) are scrubbed too.
    onSecrets: (values) => scrubber.add(values),
  });
}

async function readConfig(path: string, io: CliIo): Promise<unknown> {
  try {
    return await loadConfigFile(path, io.env);
  } catch (error) {
    const missing = (findCause(error) as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (missing && isBrokerError(error)) {
      throw new BrokerError(
        'invalid-request',
        `config file ${path} not found; name one with --config <path> or HYBRID_BROKER_CONFIG`,
        { field: 'config', cause: error },
      );
    }
    throw error;
  }
}

function findCause(error: unknown): unknown {
  return (error as { cause?: unknown } | null)?.cause;
}
