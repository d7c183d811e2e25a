import type { SimError, SimRequestHead } from '../service.js';
import type { ThrottleStats } from './token-bucket.js';

/** What a cloud's limiter says of one request: headers for the reply, and the error when throttled. */
export interface RateLimitVerdict {
  /** Headers every response carries (e.g. ARM's `x-ms-ratelimit-remaining-subscription-reads`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Set when the request is throttled: the reply, in the cloud's own words. */
  readonly error?: SimError;
}

/** One request as a limiter sees it: the head, its route key and the placeholders of its path. */
export interface LimitedRequest extends SimRequestHead {
  readonly routeKey: string;
  readonly params: Readonly<Record<string, string>>;
}

/** A cloud's server-side rate limiter, consulted by the dispatcher before faults and handlers. */
export interface SimRateLimit {
  /** Takes a token for `req`; `undefined` when the request is not limited (e.g. Keystone). */
  check(req: LimitedRequest): RateLimitVerdict | undefined;
  /** Requests seen and throttled since start or the last reset. */
  stats(): ThrottleStats;
  /** Refills the buckets and zeroes the counts. */
  reset(): void;
}
