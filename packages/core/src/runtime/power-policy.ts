import type { CallOptions, PlatformDriver } from '../driver.js';
import { resolveCapabilities } from '../driver.js';
import { BrokerError } from '../errors.js';
import { validatePowerRequest } from '../power-schemas.js';
import type { PowerOperation } from '../power-types.js';
import type { Server } from '../types.js';

const VERB: Readonly<Record<PowerOperation, string>> = {
  startServer: 'start',
  stopServer: 'stop',
  rebootServer: 'reboot',
};

/**
 * The body of a power call inside the runtime's policies: the request validated (naming the
 * field), then refused as `invalid-request` on a driver without capability `power` or without
 * the method, as the list calls are refused, before anything is sent.
 */
export function powerCall(
  driver: PlatformDriver,
  operation: PowerOperation,
  request: unknown,
  options: CallOptions | undefined,
): Promise<Server> {
  const valid = validatePowerRequest[operation](request);
  const method = driver[operation];
  if (method === undefined || !resolveCapabilities(driver.capabilities).power) {
    throw new BrokerError(
      'invalid-request',
      `the ${driver.kind} driver cannot ${VERB[operation]} servers (capability power is not declared)`,
      { field: 'platform' },
    );
  }
  // Each method takes its own request type; the validator of the same operation made it.
  return (method as (r: unknown, o?: CallOptions) => Promise<Server>).call(driver, valid, options);
}
