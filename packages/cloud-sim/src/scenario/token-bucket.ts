/** A bucket's size and how fast it refills, as the clouds document their limits. */
export interface BucketSpec {
  /** Most requests in a burst (the bucket's capacity). */
  readonly capacity: number;
  /** Tokens added back per second. */
  readonly refillPerSecond: number;
}

/** Checks one configured bucket, naming the field (e.g. `rateLimits.reads`) when it is wrong. */
export function checkBucketSpec(field: string, spec: unknown): BucketSpec {
  const bucket = spec as Partial<BucketSpec> | null;
  if (
    typeof bucket !== 'object' ||
    bucket === null ||
    typeof bucket.capacity !== 'number' ||
    !(bucket.capacity >= 1) ||
    typeof bucket.refillPerSecond !== 'number' ||
    !(bucket.refillPerSecond > 0)
  ) {
    throw new TypeError(`${field}: expected { capacity: number >= 1, refillPerSecond: number > 0 }`);
  }
  return { capacity: bucket.capacity, refillPerSecond: bucket.refillPerSecond };
}

/** Overlays configured buckets on the defaults, checking each one given. */
export function bucketsOf<K extends string>(
  defaults: Readonly<Record<K, BucketSpec>>,
  given: Partial<Record<K, BucketSpec>>,
): Record<K, BucketSpec> {
  const out: Record<K, BucketSpec> = { ...defaults };
  for (const [key, spec] of Object.entries(given) as [K, unknown][]) {
    if (!(key in defaults))
      throw new TypeError(
        `rateLimits.${key}: unknown bucket (expected one of ${Object.keys(defaults).join(', ')})`,
      );
    if (spec !== undefined) out[key] = checkBucketSpec(`rateLimits.${key}`, spec);
  }
  return out;
}

/**
 * The token bucket every cloud here documents: each request takes one token, tokens refill
 * continuously at `refillPerSecond` up to `capacity`, a request finding none is throttled.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  /** @param spec size and refill @param now the sim's clock (ms) */
  constructor(
    readonly spec: BucketSpec,
    private readonly now: () => number,
  ) {
    if (!(spec.capacity >= 1) || !(spec.refillPerSecond > 0)) {
      throw new TypeError('rate limit bucket: expected capacity >= 1 and refillPerSecond > 0');
    }
    this.#tokens = spec.capacity;
    this.#at = now();
  }

  /** Takes a token; false when the bucket is empty (the request is throttled). */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Whole tokens left now. */
  get remaining(): number {
    this.#refill();
    return Math.floor(this.#tokens);
  }

  /** Whole seconds until the next token (at least 1): what a `Retry-After` should say. */
  get retryAfterSeconds(): number {
    this.#refill();
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.spec.refillPerSecond));
  }

  #refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#tokens = Math.min(this.spec.capacity, this.#tokens + elapsed * this.spec.refillPerSecond);
    this.#at = now;
  }
}

/** Requests seen and throttled, in all and per bucket. */
export interface ThrottleStats {
  readonly requests: number;
  readonly throttled: number;
  /** Per bucket key, e.g. `DescribeVolumes` or `reads`. */
  readonly buckets: Readonly<Record<string, { readonly requests: number; readonly throttled: number }>>;
}

/** Buckets by key, made on first use, with their counts. */
export class BucketSet {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #counts = new Map<string, { requests: number; throttled: number }>();

  /** @param now the sim's clock (ms) */
  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a token from `key`'s bucket (made from `spec` the first time); returns the bucket and the verdict. */
  take(key: string, spec: BucketSpec): { bucket: TokenBucket; allowed: boolean } {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(spec, this.now);
      this.#buckets.set(key, bucket);
    }
    const allowed = bucket.take();
    const count = this.#counts.get(key) ?? { requests: 0, throttled: 0 };
    count.requests++;
    if (!allowed) count.throttled++;
    this.#counts.set(key, count);
    return { bucket, allowed };
  }

  /** The counts so far. */
  stats(): ThrottleStats {
    let requests = 0;
    let throttled = 0;
    const buckets: Record<string, { requests: number; throttled: number }> = {};
    for (const [key, count] of [...this.#counts].sort(([a], [b]) => a.localeCompare(b))) {
      requests += count.requests;
      throttled += count.throttled;
      buckets[key] = { ...count };
    }
    return { requests, throttled, buckets };
  }

  /** Refills every bucket and zeroes the counts. */
  reset(): void {
    this.#buckets.clear();
    this.#counts.clear();
  }
}
