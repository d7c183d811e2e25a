import { SimError } from '../service.js';
import type { LimitedRequest, RateLimitVerdict, SimRateLimit } from './rate-limit.js';
import { BucketSet, type BucketSpec, bucketsOf } from './token-bucket.js';

/**
 * Per-project limits of Nova and Cinder: one read bucket (GET, HEAD) and one write bucket
 * (POST, PUT, PATCH, DELETE) per service, region and project.
 */
export interface OpenStackRateLimits {
  readonly reads?: BucketSpec;
  readonly writes?: BucketSpec;
}

/**
 * The failover scenario's limits. OpenStack has no single documented figure: Nova dropped
 * its built-in limiter (`nova.api.openstack.compute.limits`, removed in Newton) and
 * deployments put one in front, per project and action, answering 429 with Retry-After
 * (e.g. sapcc/openstack-rate-limit-middleware, docs/configure.md: "limit: <n>r/<m><t>").
 * Older Cinder's `cinder.api.v2.limits.RateLimitingMiddleware` (removed in Queens) answered
 * 413 `overLimit` "This request was rate-limited." with Retry-After. These numbers are a
 * modest production setting, not a standard: configure them per scenario.
 */
export const DEFAULT_OPENSTACK_RATE_LIMITS: Required<OpenStackRateLimits> = {
  reads: { capacity: 100, refillPerSecond: 20 },
  writes: { capacity: 50, refillPerSecond: 10 },
};

const READS = new Set(['GET', 'HEAD']);

/**
 * Nova answers a throttled request 429, Cinder 413 (its old middleware's status, which the
 * drivers must still read as throttling), both `overLimit` with `Retry-After`. Keystone and
 * Glance are not limited here.
 */
export function openStackRateLimit(
  limits: OpenStackRateLimits = {},
  now: () => number = Date.now,
): SimRateLimit {
  const spec = bucketsOf(DEFAULT_OPENSTACK_RATE_LIMITS, limits);
  const buckets = new BucketSet(now);
  return {
    check(req: LimitedRequest): RateLimitVerdict | undefined {
      const service = req.path.startsWith('/compute/')
        ? 'nova'
        : req.path.startsWith('/volume/')
          ? 'cinder'
          : '';
      const project = req.params.project;
      if (service === '' || project === undefined) return undefined;
      const kind = READS.has(req.method) ? 'reads' : 'writes';
      const { bucket, allowed } = buckets.take(
        `${service}/${req.params.region}/${project}/${kind}`,
        spec[kind],
      );
      if (allowed) return { headers: {} };
      const status = service === 'nova' ? 429 : 413;
      return {
        headers: {},
        error: new SimError(status, 'This request was rate-limited.', {
          retryAfterSeconds: bucket.retryAfterSeconds,
        }),
      };
    },
    stats: () => buckets.stats(),
    reset: () => buckets.reset(),
  };
}
