import { ArmError } from '../azure/arm-model.js';
import type { LimitedRequest, RateLimitVerdict, SimRateLimit } from './rate-limit.js';
import { BucketSet, type BucketSpec, bucketsOf } from './token-bucket.js';

/** ARM's subscription buckets by operation type. */
export interface ArmRateLimits {
  readonly reads?: BucketSpec;
  readonly writes?: BucketSpec;
  readonly deletes?: BucketSpec;
}

/**
 * ARM's per-subscription token buckets (per region and principal since the 2024 regional
 * throttling), from "Understand how Azure Resource Manager throttles requests",
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 * (subscription reads: bucket 250, refill 25/s; writes 200, 10/s; deletes 200, 10/s). A
 * throttled request gets 429 with `Retry-After`; every response carries the remaining count
 * of its type in `x-ms-ratelimit-remaining-subscription-reads` / `-writes` / `-deletes`.
 */
export const DEFAULT_ARM_RATE_LIMITS: Required<ArmRateLimits> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

const KIND_OF: Readonly<Record<string, 'reads' | 'writes' | 'deletes'>> = {
  GET: 'reads',
  HEAD: 'reads',
  DELETE: 'deletes',
};

/** ARM's limiter over `/subscriptions/{sub}/...` requests. */
export function armRateLimit(limits: ArmRateLimits = {}, now: () => number = Date.now): SimRateLimit {
  const spec = bucketsOf(DEFAULT_ARM_RATE_LIMITS, limits);
  const buckets = new BucketSet(now);
  return {
    check(req: LimitedRequest): RateLimitVerdict | undefined {
      const sub = req.params.sub;
      if (sub === undefined) return undefined;
      const kind = KIND_OF[req.method] ?? 'writes';
      const { bucket, allowed } = buckets.take(`${sub}/${kind}`, spec[kind]);
      const headers = { [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(bucket.remaining) };
      if (allowed) return { headers };
      const seconds = bucket.retryAfterSeconds;
      const error = new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of '${kind.slice(0, -1)}' requests for subscription '${sub}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
        { retryAfterSeconds: seconds },
      );
      return { headers, error };
    },
    stats: () => buckets.stats(),
    reset: () => buckets.reset(),
  };
}
