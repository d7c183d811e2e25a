import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BrokerError } from '@hybrid-broker/core';
import { syntaxErrorSummary } from '@hybrid-broker/core/driver-kit';
import { parse as parseYaml } from 'yaml';
import type { EndpointInterface, ServiceName } from '../common/openstack-config.js';
import { authFromDict, type ExternalCloudSettings, normalizeInterface } from './auth-dict.js';

/** Where clouds.yaml and secure.yaml are looked for. */
export interface CloudsYamlOptions {
  /** An explicit clouds.yaml path; it must exist. */
  readonly file?: string | undefined;
  /** Environment (OS_CLIENT_CONFIG_FILE, OS_CLIENT_SECURE_FILE). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly home?: string;
}

type Dict = Record<string, unknown>;

// openstacksdk's service-type keys of `<service>_endpoint_override`, and ours.
const OVERRIDE_KEYS: readonly (readonly [string, ServiceName])[] = [
  ['compute', 'compute'],
  ['block_storage', 'volume'],
  ['volumev3', 'volume'],
  ['volume', 'volume'],
  ['image', 'image'],
  ['network', 'network'],
];

/** The usual search path of a config file name, as openstacksdk has it: cwd, user, system. */
export function searchPath(fileName: string, options: CloudsYamlOptions = {}): string[] {
  const home = options.home ?? homedir();
  return [
    join(options.cwd ?? process.cwd(), fileName),
    join(home, '.config', 'openstack', fileName),
    `/etc/openstack/${fileName}`,
  ];
}

/**
 * Reads cloud `name` from clouds.yaml, deep-merged with the same cloud of
 * secure.yaml (where passwords usually live), and returns its settings in our
 * field names. A missing file or cloud is an `invalid-request` naming what was
 * searched or which clouds exist.
 */
export async function loadCloudsYaml(
  name: string,
  options: CloudsYamlOptions = {},
): Promise<ExternalCloudSettings> {
  const env = options.env ?? process.env;
  const explicit = options.file ?? env.OS_CLIENT_CONFIG_FILE;
  const cloudsPaths = explicit ? [explicit] : searchPath('clouds.yaml', options);
  const clouds = await firstReadable(cloudsPaths);
  if (!clouds) {
    throw new BrokerError('invalid-request', `clouds.yaml not found; looked in ${cloudsPaths.join(', ')}`, {
      field: 'cloudsFile',
    });
  }
  const securePaths = env.OS_CLIENT_SECURE_FILE
    ? [env.OS_CLIENT_SECURE_FILE]
    : searchPath('secure.yaml', options);
  const secure = await firstReadable(securePaths);
  const entry = cloudOf(clouds, name);
  if (!entry) {
    const known = Object.keys(asDict(asDict(clouds.data).clouds));
    throw new BrokerError(
      'invalid-request',
      `cloud "${name}" not found in ${clouds.path}; it has: ${known.join(', ') || '(none)'}`,
      { field: 'cloud' },
    );
  }
  const merged = deepMerge(entry, secure ? (cloudOf(secure, name) ?? {}) : {});
  return settingsOf(merged);
}

function settingsOf(cloud: Dict): ExternalCloudSettings {
  const authType = typeof cloud.auth_type === 'string' ? cloud.auth_type : undefined;
  const region = typeof cloud.region_name === 'string' ? cloud.region_name : undefined;
  const rawInterface = cloud.interface ?? cloud.endpoint_type;
  const iface = typeof rawInterface === 'string' ? normalizeInterface(rawInterface) : undefined;
  const endpointOverrides: Partial<Record<ServiceName, string>> = {};
  for (const [key, ours] of OVERRIDE_KEYS) {
    const value = cloud[`${key}_endpoint_override`];
    if (typeof value === 'string' && endpointOverrides[ours] === undefined) endpointOverrides[ours] = value;
  }
  const interfaces: EndpointInterface[] | undefined = iface ? [iface] : undefined;
  const cacert = typeof cloud.cacert === 'string' && cloud.cacert !== '' ? cloud.cacert : undefined;
  // openstacksdk: `verify: false`, or the older `insecure: true`.
  const verify = cloud.verify === false || cloud.insecure === true ? false : undefined;
  return {
    auth: authFromDict(asDict(cloud.auth), authType),
    ...(region ? { region } : {}),
    ...(interfaces ? { interfaces } : {}),
    ...(Object.keys(endpointOverrides).length > 0 ? { endpointOverrides } : {}),
    ...(cacert ? { cacert } : {}),
    ...(verify === false ? { verify } : {}),
  };
}

async function firstReadable(paths: readonly string[]): Promise<{ path: string; data: unknown } | undefined> {
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    try {
      return { path, data: parseYaml(text) };
    } catch (error) {
      // Where, never what: the parser quotes the offending line, which may hold a password. No cause either.
      throw new BrokerError('invalid-request', `${path} is not valid YAML: ${syntaxErrorSummary(error)}`, {
        field: 'cloudsFile',
      });
    }
  }
  return undefined;
}

function cloudOf(file: { data: unknown }, name: string): Dict | undefined {
  const entry = asDict(asDict(file.data).clouds)[name];
  return typeof entry === 'object' && entry !== null ? (entry as Dict) : undefined;
}

function asDict(value: unknown): Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Dict) : {};
}

function deepMerge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
        ? deepMerge(asDict(current), asDict(value))
        : value;
  }
  return out;
}
