import type { FaultRule } from './fault-rules.js';
import type { OpenStackSimOptions } from './openstack/openstack-sim.js';
import type { OpenStackRateLimits } from './scenario/openstack-limits.js';

/**
 * Options of `startCloudSim`. Everything is optional: the default is one region
 * (`RegionOne`, zone `RegionOne`), user `demo` / `secret-password` in domain `Default`,
 * project `demo`, one-hour tokens and delays of 50-100 ms.
 *
 * @example
 * const sim = await startCloudSim({
 *   regions: [{ name: 'az1' }, { name: 'az2', volume: 'volumev2' }, { name: 'az3', compute: false }],
 *   delays: { serverBuildMs: 10, attachMs: 5, detachMs: 5 },
 *   seed: 42,
 * });
 */
export interface CloudSimOptions extends OpenStackSimOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Makes ids, tokens and probabilistic faults reproducible. */
  readonly seed?: number;
  /** Fault rules active from the start. */
  readonly faults?: readonly FaultRule[];
  /** Clock for timestamps and token expiry (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Nova's and Cinder's per-project rate limits (429 / 413 with Retry-After): `true` for the
   * scenario's defaults, or the buckets. Off by default, so tests see no throttling they did not ask for.
   */
  readonly rateLimits?: boolean | OpenStackRateLimits;
}
