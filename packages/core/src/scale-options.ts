/** A client-side request budget: a token bucket shared by every call of one platform. */
export interface RequestBudgetOptions {
  /** Tokens added per second: the sustained request rate. */
  readonly requestsPerSecond: number;
  /** Tokens the bucket holds: the requests that may go at once after a quiet spell. Default: one second's worth. */
  readonly burst?: number;
}

/**
 * How a platform behaves under many concurrent calls (a mass failover).
 * Every field has a default; all of them off gives the per-call behaviour
 * of a broker without this block: `{ coalescePolling: false, singleFlightReads: false,
 * adaptivePolling: false, requestBudget: false, attachBatchWindowMs: 0 }`.
 */
export interface ScaleOptions {
  /** Default true: concurrent waits of one kind share one list read per tick. */
  readonly coalescePolling?: boolean;
  /** Default true: concurrent getVolume/getServer of one id make one request. */
  readonly singleFlightReads?: boolean;
  /** Default true: a wait's first poll comes near the transition time learned from earlier waits. */
  readonly adaptivePolling?: boolean;
  /** Default: the driver's documented limit (see DriverDefinition.defaultRequestBudget); false = off. */
  readonly requestBudget?: false | RequestBudgetOptions;
  /** Drivers that batch attaches (azure): how long to gather attaches to one server; 0 = off. Default 50. */
  readonly attachBatchWindowMs?: number;
}

/** A request budget with its burst filled in. */
export interface ResolvedRequestBudget {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** Scale options with every field filled in: what a driver gets in `DriverContext.scale`. */
export interface ResolvedScaleOptions {
  readonly coalescePolling: boolean;
  readonly singleFlightReads: boolean;
  readonly adaptivePolling: boolean;
  /** False when the platform has no budget (turned off, or its driver documents no limit). */
  readonly requestBudget: false | ResolvedRequestBudget;
  readonly attachBatchWindowMs: number;
}

/** The attach batching window when the config names none. */
export const DEFAULT_ATTACH_BATCH_WINDOW_MS = 50;

/** Every scale feature off: today's per-call behaviour, the benchmarks' baseline. */
export const SCALE_OFF: ResolvedScaleOptions = Object.freeze({
  coalescePolling: false,
  singleFlightReads: false,
  adaptivePolling: false,
  requestBudget: false,
  attachBatchWindowMs: 0,
});

/**
 * Resolves a platform's scale block over the broker defaults. `driverBudget` is
 * the driver's documented default budget, used when neither block sets one.
 * The config schema has already checked the values.
 */
export function resolveScale(
  platform: ScaleOptions | undefined,
  defaults: ScaleOptions | undefined,
  driverBudget?: RequestBudgetOptions,
): ResolvedScaleOptions {
  const budget = platform?.requestBudget ?? defaults?.requestBudget ?? driverBudget ?? false;
  return {
    coalescePolling: platform?.coalescePolling ?? defaults?.coalescePolling ?? true,
    singleFlightReads: platform?.singleFlightReads ?? defaults?.singleFlightReads ?? true,
    adaptivePolling: platform?.adaptivePolling ?? defaults?.adaptivePolling ?? true,
    requestBudget: budget === false ? false : resolveBudget(budget),
    attachBatchWindowMs:
      platform?.attachBatchWindowMs ?? defaults?.attachBatchWindowMs ?? DEFAULT_ATTACH_BATCH_WINDOW_MS,
  };
}

function resolveBudget(budget: RequestBudgetOptions): ResolvedRequestBudget {
  // One second's worth of requests, at least one, so a bucket can always hand out a token.
  const burst = budget.burst ?? Math.max(1, Math.ceil(budget.requestsPerSecond));
  return { requestsPerSecond: budget.requestsPerSecond, burst };
}
