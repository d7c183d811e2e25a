import type { DetachOptions, PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';
import { forceRequested } from '../force-detach.js';
import { validateRequest } from '../request-schemas.js';
import type { CreateServerRequest, DetachVolumeRequest } from '../types.js';

/**
 * The checks of a request before the driver sees it, beyond its schema (`validateRequest`):
 * what the driver underneath cannot honour is refused as `invalid-request`, naming the field.
 * They run inside the call (its events report the refusal) and before the per-server lock,
 * which needs the validated server id.
 */
export const requestChecks = {
  /** A group the driver cannot honour is refused before anything is sent: silently ignoring it would be no HA. */
  createServer(request: unknown, driver: PlatformDriver): CreateServerRequest {
    const valid = validateRequest.createServer(request);
    if (valid.antiAffinityGroup !== undefined && !resolveCapabilities(driver.capabilities).antiAffinity) {
      throw new BrokerError('invalid-request', `driver ${driver.kind} does not support antiAffinityGroup`, {
        field: 'antiAffinityGroup',
      });
    }
    return valid;
  },

  /** A forced detach is refused by a driver without `forceDetach`. */
  detachVolume(
    request: unknown,
    options: DetachOptions | undefined,
    driver: PlatformDriver,
  ): DetachVolumeRequest {
    const valid = validateRequest.detachVolume(request);
    forceRequested(options, driver.capabilities, driver.kind);
    return valid;
  },

  /** A list call of a driver that has none says so. */
  lister<F>(list: F | undefined, kind: string, what: 'servers' | 'volumes'): F {
    if (list === undefined) {
      throw new BrokerError('invalid-request', `the ${kind} driver cannot list ${what}`, {
        field: 'platform',
      });
    }
    return list;
  },
};
