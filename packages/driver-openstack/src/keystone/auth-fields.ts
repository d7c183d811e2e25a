import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import type { KeystoneAuthConfig } from '../common/openstack-config.js';

/**
 * The auth fields a refused credential was made of, by name only: `method` and `url`
 * say how and where, not who, so they are left out. A value never enters the list,
 * only the keys the config set.
 */
export function authFieldNames(config: KeystoneAuthConfig): string[] {
  return Object.entries(config)
    .filter(([key, value]) => key !== 'method' && key !== 'url' && value !== undefined)
    .map(([key]) => key);
}

/**
 * Keystone's refusal, saying which settings were sent: `auth-failed: Keystone refused the
 * credentials (platforms.os.auth: username, password, projectName, userDomainName)`, so a
 * wrong user, domain or project can be told from a wrong password. `source` says where the
 * credentials came from (`platforms.os.auth`, a clouds.yaml cloud, the OS_* variables).
 */
export function namingAuthFields(error: unknown, config: KeystoneAuthConfig, source: string): unknown {
  if (!isBrokerError(error, 'auth-failed')) return error;
  const named = new BrokerError(
    'auth-failed',
    `${error.message} (${source}: ${authFieldNames(config).join(', ')})`,
    error.details(),
  );
  named.stack = error.stack;
  return named;
}
