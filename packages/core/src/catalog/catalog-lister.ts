import type { PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';

/**
 * The driver's `listImages` or `listFlavors`, or the refusal every other list gives on a
 * driver without it (`invalid-request` naming `platform`): without the capability flag too,
 * since a driver may have the method and a configuration that cannot serve it.
 */
export function catalogLister<F>(
  list: F | undefined,
  driver: PlatformDriver,
  capability: 'listImages' | 'listFlavors',
): F {
  if (list === undefined || !resolveCapabilities(driver.capabilities)[capability]) {
    const what = capability === 'listImages' ? 'images' : 'flavors';
    throw new BrokerError(
      'invalid-request',
      `the ${driver.kind} driver cannot list ${what} (capability ${capability})`,
      { field: 'platform' },
    );
  }
  return list;
}
