import type { BucketSpec } from './token-bucket.js';
import { BucketSet, bucketsOf, type ThrottleStats } from './token-bucket.js';

/** EC2's request-rate limits by action class; each action has a bucket of its own. */
export interface Ec2RateLimits {
  /** Actions that change state (RunInstances, AttachVolume, DetachVolume...). */
  readonly mutating?: BucketSpec;
  /** Describe* with ids, filters or paging. */
  readonly nonMutating?: BucketSpec;
  /** Describe* with neither ids, filters nor MaxResults (the expensive whole-account read). */
  readonly unfiltered?: BucketSpec;
}

/**
 * EC2's documented request token buckets (per account and region, one bucket per API action),
 * from "Request throttling for the Amazon EC2 API", table "Request token bucket sizes and
 * refill rates": https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 * (e.g. "the bucket size for DescribeHosts, a non-mutating API action, is 100 tokens and the
 * refill rate is 20 tokens per second"). A throttled call gets `RequestLimitExceeded`, HTTP 503.
 */
export const DEFAULT_EC2_RATE_LIMITS: Required<Ec2RateLimits> = {
  mutating: { capacity: 50, refillPerSecond: 5 },
  nonMutating: { capacity: 100, refillPerSecond: 20 },
  unfiltered: { capacity: 50, refillPerSecond: 10 },
};

/** What the EC2 limiter needs of a query: its action and whether it names ids, filters or a page size. */
export interface Ec2LimitedCall {
  readonly action: string;
  readonly filtered: boolean;
}

/** EC2's limiter: `take` says whether the call may go on; throttled ones are answered by the sim. */
export class Ec2RateLimit {
  readonly #spec: Required<Ec2RateLimits>;
  readonly #buckets: BucketSet;

  /** @param limits overrides of the documented buckets @param now the sim's clock */
  constructor(limits: Ec2RateLimits = {}, now: () => number = Date.now) {
    this.#spec = bucketsOf(DEFAULT_EC2_RATE_LIMITS, limits);
    this.#buckets = new BucketSet(now);
  }

  /** Takes a token from the action's bucket; false when throttled. */
  take(call: Ec2LimitedCall): boolean {
    const reads = /^(Describe|Get|List)/.test(call.action);
    const spec = !reads
      ? this.#spec.mutating
      : call.filtered
        ? this.#spec.nonMutating
        : this.#spec.unfiltered;
    return this.#buckets.take(call.action, spec).allowed;
  }

  /** Requests and throttled ones, per action. */
  stats(): ThrottleStats {
    return this.#buckets.stats();
  }

  /** Refills the buckets and zeroes the counts. */
  reset(): void {
    this.#buckets.reset();
  }
}
