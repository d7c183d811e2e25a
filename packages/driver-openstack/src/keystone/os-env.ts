import { authFromDict, type ExternalCloudSettings, normalizeInterface } from './auth-dict.js';

/** The OS_* variables read, for error messages and docs. */
export const OS_ENV_VARIABLES = [
  'OS_AUTH_URL',
  'OS_AUTH_TYPE',
  'OS_USERNAME',
  'OS_USER_ID',
  'OS_PASSWORD',
  'OS_PROJECT_NAME',
  'OS_PROJECT_ID',
  'OS_TENANT_NAME',
  'OS_TENANT_ID',
  'OS_USER_DOMAIN_NAME',
  'OS_USER_DOMAIN_ID',
  'OS_PROJECT_DOMAIN_NAME',
  'OS_PROJECT_DOMAIN_ID',
  'OS_DOMAIN_NAME',
  'OS_DOMAIN_ID',
  'OS_REGION_NAME',
  'OS_INTERFACE',
  'OS_ENDPOINT_TYPE',
  'OS_APPLICATION_CREDENTIAL_ID',
  'OS_APPLICATION_CREDENTIAL_NAME',
  'OS_APPLICATION_CREDENTIAL_SECRET',
  'OS_TOKEN',
] as const;

/**
 * Reads connection settings from the OS_* environment variables an
 * `openrc` file sets (the same names python-openstackclient reads).
 * Returns undefined when OS_AUTH_URL is not set. `OS_CLOUD` is not read
 * here: it names a clouds.yaml entry (see `resolveOpenStackSettings`).
 *
 * @example
 * readOsEnvironment({ OS_AUTH_URL: 'https://keystone:5000/v3', OS_USERNAME: 'demo', ... })
 */
export function readOsEnvironment(env: NodeJS.ProcessEnv): ExternalCloudSettings | undefined {
  if (!env.OS_AUTH_URL) return undefined;
  const dict: Record<string, string> = {};
  for (const variable of OS_ENV_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '') dict[variable.slice(3).toLowerCase()] = value;
  }
  const region = env.OS_REGION_NAME;
  const iface = normalizeInterface(env.OS_INTERFACE ?? env.OS_ENDPOINT_TYPE ?? '');
  const cacert = env.OS_CACERT;
  return {
    auth: authFromDict(dict, env.OS_AUTH_TYPE),
    ...(region ? { region } : {}),
    ...(iface ? { interfaces: [iface] } : {}),
    ...(cacert ? { cacert } : {}),
  };
}
