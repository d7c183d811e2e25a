import {
  type Clock,
  isBrokerError,
  type RequestBudgetOptions,
  type ResolvedRequestBudget,
} from '@hybrid-broker/core';
import { RequestBudget, timeLeft } from '@hybrid-broker/core/driver-kit';
import type { PipelinePolicy } from './pipeline-policies.js';

/**
 * ARM's per-subscription limits, from "Understand how Azure Resource Manager
 * throttles requests" (learn.microsoft.com, the regional token-bucket limits
 * in force since 2024): per subscription, region and principal, reads have a
 * bucket of 250 refilled at 25 a second, writes and deletes each 200 at 10.
 * The platform's budget (`scale.requestBudget`) is the reads bucket; writes
 * and deletes get ARM's own scaled by the same factor.
 */
export const ARM_READ_BUDGET: RequestBudgetOptions = Object.freeze({ requestsPerSecond: 25, burst: 250 });
const ARM_WRITE = { requestsPerSecond: 10, burst: 200 };

/** ARM's three buckets of one platform. */
export interface ArmBudgets {
  readonly reads: RequestBudget;
  readonly writes: RequestBudget;
  readonly deletes: RequestBudget;
}

/** The buckets for a platform whose reads budget is `reads`. */
export function armBudgets(
  reads: ResolvedRequestBudget,
  clock: Clock,
  maxPauseMs: number | undefined,
): ArmBudgets {
  const rate = reads.requestsPerSecond / ARM_READ_BUDGET.requestsPerSecond;
  const size = reads.burst / (ARM_READ_BUDGET.burst ?? 1);
  const write = {
    requestsPerSecond: ARM_WRITE.requestsPerSecond * rate,
    burst: Math.max(1, Math.round(ARM_WRITE.burst * size)),
  };
  return {
    reads: new RequestBudget(reads, clock, maxPauseMs),
    writes: new RequestBudget(write, clock, maxPauseMs),
    deletes: new RequestBudget(write, clock, maxPauseMs),
  };
}

/**
 * Every HTTP attempt (placed per retry, so the SDK's own retries count too)
 * takes a token of its kind's bucket first.
 */
export function requestBudgetPolicy(budgets: ArmBudgets): PipelinePolicy {
  return {
    name: 'hybridBrokerRequestBudget',
    async sendRequest(request, next) {
      const method = request.method.toUpperCase();
      const bucket =
        method === 'GET' || method === 'HEAD'
          ? budgets.reads
          : method === 'DELETE'
            ? budgets.deletes
            : budgets.writes;
      await bucket.take(request.abortSignal as AbortSignal | undefined);
      return next(request);
    },
  };
}

/**
 * After a throttled failure of a call: a Retry-After the call's retry will
 * honour (within `maxRetryAfterMs` and the call's deadline, which `signal`
 * carries) pauses all three buckets, so every caller of the platform waits it
 * out, not only this one. One past those ends only this call, pausing nobody.
 */
export function pauseOnThrottle(
  budgets: ArmBudgets | undefined,
  error: unknown,
  signal: AbortSignal | undefined,
  maxRetryAfterMs: number,
): void {
  if (!budgets || !isBrokerError(error, 'throttled')) return;
  const wait = error.retryAfterMs;
  if (wait === undefined || wait > maxRetryAfterMs || wait >= timeLeft(signal)) return;
  for (const bucket of [budgets.reads, budgets.writes, budgets.deletes]) bucket.pause(wait);
}
