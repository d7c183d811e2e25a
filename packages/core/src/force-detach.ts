import { type DetachPlan, planDetach, type SameServer } from './attach-rules.js';
import type { DetachOptions, DriverCapabilities } from './driver.js';
import { BrokerError } from './errors.js';
import type { Volume } from './types.js';

/**
 * Whether a detach is forced, after checking the option: `force` must be a boolean, and a
 * forced detach on a driver without capability `forceDetach` is refused before any request.
 */
export function forceRequested(
  options: DetachOptions | undefined,
  capabilities: DriverCapabilities,
  kind: string,
): boolean {
  const force: unknown = options?.force;
  if (force === undefined || force === false) return false;
  if (force !== true) {
    throw new BrokerError('invalid-request', 'force must be true or false', { field: 'force' });
  }
  if (capabilities.forceDetach !== true) {
    throw new BrokerError(
      'invalid-request',
      `the ${kind} driver cannot force a detach (capability forceDetach is not declared)`,
      { field: 'force' },
    );
  }
  return true;
}

/**
 * The detach plan when the call may force it: a detach already under way (the stuck case
 * a force is for) is sent again as a forced one instead of being waited for. An attach in
 * flight is still let land first, as for a plain detach.
 */
export function planForcedDetach(
  serverId: string,
  volume: Volume,
  force: boolean,
  same?: SameServer,
): DetachPlan {
  const plan = planDetach(serverId, volume, same);
  return force && plan === 'detaching' ? 'send' : plan;
}
