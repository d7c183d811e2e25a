import type { Clock, RequestBudgetOptions, ResolvedRequestBudget } from '@hybrid-broker/core';
import { RequestBudget } from '@hybrid-broker/core/driver-kit';

/**
 * EC2's request-rate buckets, from "Request throttling for the Amazon EC2 API"
 * (EC2 API reference, request token bucket sizes and refill rates): each API
 * action has a bucket of its own per account and Region; a non-mutating
 * (Describe*) action's holds 100 tokens refilled at 20 a second, a mutating
 * action's (AttachVolume, DetachVolume, CreateTags...) 50 refilled at 5.
 * The platform's budget (`scale.requestBudget`) is the non-mutating one;
 * mutating actions get EC2's mutating bucket scaled by the same factor.
 */
export const EC2_DESCRIBE_BUDGET: RequestBudgetOptions = Object.freeze({ requestsPerSecond: 20, burst: 100 });
const EC2_MUTATING = { requestsPerSecond: 5, burst: 50 };

/**
 * One token bucket per EC2 action, as EC2 keeps them, made on the action's
 * first request. A throttled answer to any action pauses all of them: the
 * account is being throttled, and the other callers would be next.
 */
export class Ec2Budgets {
  readonly #buckets = new Map<string, RequestBudget>();
  readonly #describe: ResolvedRequestBudget;
  readonly #clock: Clock;
  readonly #maxPauseMs: number | undefined;

  constructor(describe: ResolvedRequestBudget, clock: Clock, maxPauseMs: number | undefined) {
    this.#describe = describe;
    this.#clock = clock;
    this.#maxPauseMs = maxPauseMs;
  }

  /** Waits for a token of `action`'s bucket (ends with `timeout` when the wait would pass the call's deadline). */
  take(action: string, signal: AbortSignal | undefined): Promise<void> {
    return this.#bucket(action).take(signal);
  }

  /**
   * A throttled answer (RequestLimitExceeded) to any action: every bucket is
   * emptied and paused for one refill interval of the Describe* bucket, so all
   * callers resume at the sustained rate, not in a burst. EC2 sends no
   * Retry-After (a proxy's is dropped with the response: see
   * guarded-request-handler.ts), so no longer pause is asked for.
   */
  throttled(): void {
    const ms = 1000 / this.#describe.requestsPerSecond;
    for (const bucket of this.#buckets.values()) bucket.pause(ms);
  }

  #bucket(action: string): RequestBudget {
    let bucket = this.#buckets.get(action);
    if (!bucket) {
      bucket = new RequestBudget(this.#optionsFor(action), this.#clock, this.#maxPauseMs);
      this.#buckets.set(action, bucket);
    }
    return bucket;
  }

  #optionsFor(action: string): ResolvedRequestBudget {
    if (/^(Describe|Get|List)/.test(action)) return this.#describe;
    const rate = this.#describe.requestsPerSecond / EC2_DESCRIBE_BUDGET.requestsPerSecond;
    const size = this.#describe.burst / (EC2_DESCRIBE_BUDGET.burst ?? 1);
    return {
      requestsPerSecond: EC2_MUTATING.requestsPerSecond * rate,
      burst: Math.max(1, Math.round(EC2_MUTATING.burst * size)),
    };
  }
}

/** The EC2 action of a Query API request body (`Action=DescribeVolumes&Version=...`). */
export function actionOfBody(body: unknown): string {
  if (typeof body !== 'string') return 'Unknown';
  return /(?:^|&)Action=([A-Za-z0-9]+)/.exec(body)?.[1] ?? 'Unknown';
}
