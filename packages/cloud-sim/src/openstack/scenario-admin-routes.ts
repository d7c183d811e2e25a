import type { AdminExtension } from '../admin/admin-service.js';
import type { ChangeLog } from '../scenario/change-log.js';
import type { OpenStackRateLimits } from '../scenario/openstack-limits.js';
import type { ThrottleStats } from '../scenario/token-bucket.js';
import type { TransitionTimes, TransitionTimesSpec } from '../scenario/transition-times.js';
import { type SimContext, SimError } from '../service.js';
import type { TimedChange } from './lifecycle.js';

/** What the failover scenario's admin endpoints control. */
export interface ScenarioControls {
  readonly changes: ChangeLog;
  setRateLimits(limits: boolean | OpenStackRateLimits): void;
  throttleStats(): ThrottleStats;
  setTransitionTimes(spec: TransitionTimesSpec<TimedChange> | undefined): void;
}

/**
 * The failover scenario over HTTP, for a sim in another process:
 * `GET /_sim/openstack/changes[?resource=id]`, `PUT /_sim/openstack/rate-limits`
 * (`{ "enabled": true, "reads": { "capacity": 100, "refillPerSecond": 20 } }`),
 * `GET /_sim/openstack/throttles`, `GET|PUT /_sim/openstack/transition-times`
 * (`{ "seed": 7, "ranges": { "attachMs": [1000, 4000] } }`, or `{}` for the fixed delays).
 */
export function openStackScenarioRoutes(
  controls: ScenarioControls,
  times: () => TransitionTimes<TimedChange>,
): AdminExtension {
  return (table) => {
    table
      .add('GET', '/_sim/openstack/changes', (ctx) => ({
        status: 200,
        body: { changes: controls.changes.list(ctx.query.get('resource') ?? undefined) },
      }))
      .add('GET', '/_sim/openstack/throttles', () => ({ status: 200, body: controls.throttleStats() }))
      .add('PUT', '/_sim/openstack/rate-limits', (ctx) => {
        const { enabled, ...buckets } = object(ctx);
        if (typeof enabled !== 'boolean') throw new SimError(400, 'rate-limits: enabled must be a boolean');
        try {
          controls.setRateLimits(enabled ? (buckets as OpenStackRateLimits) : false);
        } catch (error) {
          throw new SimError(400, (error as Error).message);
        }
        return { status: 204 };
      })
      .add('GET', '/_sim/openstack/transition-times', () => ({
        status: 200,
        body: { ranges: times().ranges() },
      }))
      .add('PUT', '/_sim/openstack/transition-times', (ctx) => {
        const spec = object(ctx);
        if (spec.ranges === undefined) controls.setTransitionTimes(undefined);
        else {
          try {
            controls.setTransitionTimes(spec as unknown as TransitionTimesSpec<TimedChange>);
          } catch (error) {
            throw new SimError(400, (error as Error).message);
          }
        }
        return { status: 204 };
      });
  };
}

function object(ctx: SimContext): Record<string, unknown> {
  const body = ctx.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SimError(400, 'expected a JSON object body');
  return body as Record<string, unknown>;
}
