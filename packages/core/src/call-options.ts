import type { CallOptions, WaitOptions } from './driver.js';
import { BrokerError } from './errors.js';

/** Wait options with every default filled in. */
export type ResolvedWaitOptions = Required<WaitOptions>;

/** The defaults of every wait. */
export const DEFAULT_WAIT: ResolvedWaitOptions = {
  timeoutMs: 300_000,
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  multiplier: 1.5,
  jitter: 0.2,
};

const WAIT_KEYS = Object.keys(DEFAULT_WAIT) as (keyof ResolvedWaitOptions)[];

// The merge of DEFAULT_WAIT and one platform's defaults, made once per defaults object:
// most calls pass no wait options of their own, and this merge ran on every call.
const mergedDefaults = new WeakMap<WaitOptions, ResolvedWaitOptions>();

/** Merges wait options over defaults (platform defaults, then the call's own). */
export function resolveWait(
  wait: false | WaitOptions | undefined,
  defaults: WaitOptions = DEFAULT_WAIT,
): false | ResolvedWaitOptions {
  if (wait === false) return false;
  let base = mergedDefaults.get(defaults);
  if (!base) {
    base = Object.freeze(checked(overlay(DEFAULT_WAIT, defaults)));
    mergedDefaults.set(defaults, base);
  }
  return wait === undefined ? base : checked(overlay(base, wait));
}

/** `base` with every field of `over` that is not undefined. */
function overlay(base: ResolvedWaitOptions, over: WaitOptions): ResolvedWaitOptions {
  const merged = { ...base };
  for (const key of WAIT_KEYS) {
    const value = over[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function checked(merged: ResolvedWaitOptions): ResolvedWaitOptions {
  for (const key of WAIT_KEYS) {
    const value: unknown = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new BrokerError('invalid-request', `wait.${key} must be a non-negative number`, {
        field: `wait.${key}`,
      });
    }
  }
  return merged;
}

/** Call options after validation: wait resolved, idempotency key checked. */
export interface ResolvedCallOptions {
  readonly signal: AbortSignal | undefined;
  readonly wait: false | ResolvedWaitOptions;
  readonly idempotencyKey: string | undefined;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** Validates and fills call options; drivers call it once at the top of each mutating call. */
export function resolveCallOptions(
  options: CallOptions | undefined,
  defaults?: WaitOptions,
): ResolvedCallOptions {
  const key = options?.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new BrokerError(
      'invalid-request',
      'idempotencyKey must be 1-64 characters of letters, digits, ".", "_", ":" or "-"',
      { field: 'idempotencyKey' },
    );
  }
  return { signal: options?.signal, wait: resolveWait(options?.wait, defaults), idempotencyKey: key };
}
