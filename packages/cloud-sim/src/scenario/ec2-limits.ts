import type { BucketSpec } from './token-bucket.js';
import { BucketSet, bucketsOf, checkBucketSpec, type ThrottleStats } from './token-bucket.js';

/** EC2's request-rate limits by action class; each action has a bucket of its own. */
export interface Ec2RateLimits {
  /** Actions that change state (RunInstances, AttachVolume, DetachVolume...). */
  readonly mutating?: BucketSpec;
  /** Describe* with ids, filters or paging. */
  readonly nonMutating?: BucketSpec;
  /** The listed Describe* calls with neither ids, filters nor MaxResults (the whole-account read). */
  readonly unfiltered?: BucketSpec;
  /** Actions with buckets of their own ("uncategorized actions"), by name. */
  readonly actions?: Readonly<Record<string, BucketSpec>>;
}

/**
 * EC2's documented request token buckets (per account and region, one bucket per API action),
 * from "Request throttling for the Amazon EC2 API", table "Request token bucket sizes and
 * refill rates": https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 * (non-mutating 100 / 20 per s, unfiltered and unpaginated 50 / 10, mutating 50 / 5, and the
 * uncategorized actions this sim serves). A throttled call gets `RequestLimitExceeded`, HTTP 503.
 * Calls naming ids count as narrowed here, as filters and MaxResults do (the page names only
 * filters and pagination).
 */
export const DEFAULT_EC2_RATE_LIMITS: Required<Omit<Ec2RateLimits, 'actions'>> & {
  readonly actions: Readonly<Record<string, BucketSpec>>;
} = {
  mutating: { capacity: 50, refillPerSecond: 5 },
  nonMutating: { capacity: 100, refillPerSecond: 20 },
  unfiltered: { capacity: 50, refillPerSecond: 10 },
  actions: {
    RunInstances: { capacity: 5, refillPerSecond: 2 },
    CreateVolume: { capacity: 100, refillPerSecond: 5 },
    DeleteVolume: { capacity: 100, refillPerSecond: 5 },
    CreateTags: { capacity: 100, refillPerSecond: 10 },
    DeleteTags: { capacity: 100, refillPerSecond: 10 },
  },
};

/** The Describe* actions the page lists as using the smaller bucket when unfiltered and unpaginated. */
const UNFILTERED_CLASS = new Set([
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
]);

/** What the EC2 limiter needs of a query: its action and whether it names ids, filters or a page size. */
export interface Ec2LimitedCall {
  readonly action: string;
  readonly filtered: boolean;
}

/** EC2's limiter: `take` says whether the call may go on; throttled ones are answered by the sim. */
export class Ec2RateLimit {
  readonly #spec: Required<Omit<Ec2RateLimits, 'actions'>>;
  readonly #actions: Readonly<Record<string, BucketSpec>>;
  readonly #buckets: BucketSet;

  /** @param limits overrides of the documented buckets @param now the sim's clock */
  constructor(limits: Ec2RateLimits = {}, now: () => number = Date.now) {
    const { actions, ...classes } = limits;
    const { actions: defaultActions, ...defaultClasses } = DEFAULT_EC2_RATE_LIMITS;
    this.#spec = bucketsOf(defaultClasses, classes);
    this.#actions = {
      ...defaultActions,
      ...Object.fromEntries(
        Object.entries(actions ?? {}).map(([name, spec]) => [
          name,
          checkBucketSpec(`rateLimits.actions.${name}`, spec),
        ]),
      ),
    };
    this.#buckets = new BucketSet(now);
  }

  /** Takes a token from the action's bucket; false when throttled. */
  take(call: Ec2LimitedCall): boolean {
    const reads = /^(Describe|Get|List|Search)/.test(call.action);
    const spec =
      this.#actions[call.action] ??
      (!reads
        ? this.#spec.mutating
        : call.filtered || !UNFILTERED_CLASS.has(call.action)
          ? this.#spec.nonMutating
          : this.#spec.unfiltered);
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
