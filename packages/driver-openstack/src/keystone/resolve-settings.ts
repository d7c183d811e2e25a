import { readFile } from 'node:fs/promises';
import { BrokerError } from '@hybrid-broker/core';
import { parseOrThrow } from '@hybrid-broker/core/driver-kit';
import {
  type EndpointInterface,
  type KeystoneAuthConfig,
  keystoneAuthConfigSchema,
  type OpenStackConfig,
  type ServiceName,
} from '../common/openstack-config.js';
import type { ExternalCloudSettings } from './auth-dict.js';
import { type CloudsYamlOptions, loadCloudsYaml } from './clouds-yaml.js';
import { readOsEnvironment } from './os-env.js';

/** A driver's settings once clouds.yaml and OS_* are folded in. */
export interface ResolvedOpenStackSettings {
  readonly auth: KeystoneAuthConfig;
  /** Where `auth` came from: `platforms.<name>.auth`, a clouds.yaml cloud or the OS_* variables. */
  readonly authSource?: string | undefined;
  readonly region: string | undefined;
  readonly interfaces: readonly EndpointInterface[];
  readonly endpointOverrides: Partial<Record<ServiceName, string>>;
  readonly novaMicroversion: string;
  readonly availabilityZonePolicy: 'same' | 'cloud';
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  /** How requests are sent (see the config's `transport`); absent means the fetch service. */
  readonly transport?: 'fetch' | 'node-http' | undefined;
  /** Certificate checks other than Node's defaults; set only with the node-http transport. */
  readonly tls?: TlsSettings | undefined;
  readonly tokenRenewBeforeMs: number;
  readonly lookupTtlMs: number;
}

/** How the node-http transport checks the cloud's certificates. */
export interface TlsSettings {
  /** The PEM text of the CA bundle (read from `cacert`), trusted instead of Node's own CAs. */
  readonly ca?: string;
  /** False when `verify: false`. */
  readonly rejectUnauthorized: boolean;
}

/** Where external settings come from (tests pass their own). */
export interface SettingsSources {
  readonly env?: NodeJS.ProcessEnv;
  readonly clouds?: Omit<CloudsYamlOptions, 'file' | 'env'>;
  /** Prefix of field paths in errors, e.g. `platforms.lab`. */
  readonly fieldPrefix?: string;
}

/**
 * Folds the sources together, our own config winning: explicit fields, then
 * the clouds.yaml cloud (`cloud`, or OS_CLOUD with `useEnvironment`), then
 * the OS_* variables. Credentials from outside are validated like our own,
 * with errors that say where they came from.
 */
export async function resolveOpenStackSettings(
  config: OpenStackConfig,
  sources: SettingsSources = {},
): Promise<ResolvedOpenStackSettings> {
  const env = sources.env ?? process.env;
  const prefix = sources.fieldPrefix ?? '';
  const external = await externalSettings(config, env, sources, prefix);
  const auth =
    config.auth ??
    parseOrThrow(
      keystoneAuthConfigSchema,
      external?.settings.auth ?? {},
      join(prefix, 'auth'),
      `invalid OpenStack credentials from ${external?.source ?? 'nowhere'}`,
    );
  const tls = await tlsSettings(config, external?.settings, prefix);
  if (tls && config.transport === 'fetch') {
    const field = join(prefix, config.cacert !== undefined ? 'cacert' : 'verify');
    throw new BrokerError(
      'invalid-request',
      `${field}: needs transport "node-http" (fetch on Node 20 takes no CA of its own; NODE_EXTRA_CA_CERTS works for it)`,
      { field },
    );
  }
  return {
    auth,
    authSource: config.auth ? join(prefix, 'auth') : `${external?.source ?? 'nowhere'} auth`,
    region: config.region ?? external?.settings.region,
    interfaces: config.interfaces ?? external?.settings.interfaces ?? ['public'],
    endpointOverrides: { ...external?.settings.endpointOverrides, ...config.endpointOverrides },
    novaMicroversion: config.novaMicroversion,
    availabilityZonePolicy: config.availabilityZonePolicy,
    requestTimeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    // A CA or verify: false needs the driver's own transport, so it picks it.
    transport: tls ? 'node-http' : config.transport,
    tls,
    tokenRenewBeforeMs: config.caching.tokenRenewBeforeMs,
    lookupTtlMs: config.caching.lookupTtlMs,
  };
}

async function externalSettings(
  config: OpenStackConfig,
  env: NodeJS.ProcessEnv,
  sources: SettingsSources,
  prefix: string,
): Promise<{ settings: ExternalCloudSettings; source: string } | undefined> {
  const cloud = config.cloud ?? (config.useEnvironment ? env.OS_CLOUD || undefined : undefined);
  if (cloud !== undefined) {
    const settings = await loadCloudsYaml(cloud, { ...sources.clouds, file: config.cloudsFile, env });
    return { settings, source: `clouds.yaml cloud "${cloud}"` };
  }
  if (!config.useEnvironment) return undefined;
  const settings = readOsEnvironment(env);
  if (settings) return { settings, source: 'the OS_* environment variables' };
  if (config.auth) return undefined;
  throw new BrokerError(
    'invalid-request',
    `${join(prefix, 'useEnvironment')}: neither OS_AUTH_URL nor OS_CLOUD is set`,
    {
      field: join(prefix, 'useEnvironment'),
    },
  );
}

async function tlsSettings(
  config: OpenStackConfig,
  external: ExternalCloudSettings | undefined,
  prefix: string,
): Promise<TlsSettings | undefined> {
  const cacert = config.cacert ?? external?.cacert;
  const verify = config.verify ?? external?.verify ?? true;
  if (cacert === undefined && verify) return undefined;
  if (cacert === undefined) return { rejectUnauthorized: verify };
  const field = join(prefix, 'cacert');
  let ca: string;
  try {
    ca = await readFile(cacert, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new BrokerError('invalid-request', `${field}: cannot read the CA bundle ${cacert} (${code})`, {
      field,
      cause: error,
    });
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw new BrokerError('invalid-request', `${field}: ${cacert} holds no PEM certificate`, { field });
  }
  return { ca, rejectUnauthorized: verify };
}

function join(prefix: string, field: string): string {
  return prefix === '' ? field : `${prefix}.${field}`;
}
