import { z } from 'zod';
import { BrokerError } from '../errors.js';
import { Secret } from '../secret.js';
import { closestKey, knownKeysAt } from './key-suggestions.js';

/**
 * A secret config string: accepted as a non-empty string (or a Secret) and
 * held as a `Secret`, so it never prints. Use it for every password,
 * token, key and client secret in a driver's config schema.
 */
export function secretString(description = 'a non-empty secret string') {
  return z
    .union([z.string().min(1, { error: `expected ${description}` }), z.instanceof(Secret)], {
      error: `expected ${description}`,
    })
    .transform((value) => (value instanceof Secret ? value : new Secret(value)));
}

/** The wait defaults a platform config may set. */
export const waitOptionsSchema = z.strictObject({
  timeoutMs: z.number().int().positive().optional(),
  initialDelayMs: z.number().int().nonnegative().optional(),
  maxDelayMs: z.number().int().nonnegative().optional(),
  multiplier: z.number().min(1).optional(),
  jitter: z.number().min(0).max(1).optional(),
});

/** The retry policy a platform config may set. */
export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20).optional(),
  baseDelayMs: z.number().int().nonnegative().optional(),
  maxDelayMs: z.number().int().nonnegative().optional(),
  maxRetryAfterMs: z.number().int().nonnegative().optional(),
});

/** The request budget a scale block may set: `false`, or a rate and an optional burst. */
const requestBudgetSchema = z.union(
  [
    z.literal(false),
    z.strictObject({
      requestsPerSecond: z
        .number({ error: 'expected a positive number of requests per second' })
        .positive({ error: 'expected a positive number of requests per second' })
        .max(100_000, { error: 'expected at most 100000 requests per second' }),
      burst: z
        .number({ error: 'expected a whole number of requests of at least 1' })
        .int({ error: 'expected a whole number of requests of at least 1' })
        .min(1, { error: 'expected a whole number of requests of at least 1' })
        .max(1_000_000, { error: 'expected a burst of at most 1000000 requests' })
        .optional(),
    }),
  ],
  { error: 'expected false or { requestsPerSecond, burst? }' },
);

const flag = (what: string) => z.boolean({ error: `expected true or false (${what})` }).optional();

/** The scale block a platform config (or the broker defaults) may set; see ScaleOptions. */
export const scaleOptionsSchema = z.strictObject({
  coalescePolling: flag('share one list read per tick among concurrent waits'),
  singleFlightReads: flag('share one request among concurrent reads of one id'),
  adaptivePolling: flag('first poll near the learned transition time'),
  requestBudget: requestBudgetSchema.optional(),
  attachBatchWindowMs: z
    .number({ error: 'expected a whole number of milliseconds from 0 to 10000' })
    .int({ error: 'expected a whole number of milliseconds from 0 to 10000' })
    .min(0, { error: 'expected a whole number of milliseconds from 0 to 10000' })
    .max(10_000, { error: 'expected a whole number of milliseconds from 0 to 10000' })
    .optional(),
});

/** One bad field of a config: its full path and what is wrong there. */
export interface ConfigProblem {
  /** The field's full path, e.g. `platforms.lab.wait.timeoutMs`. */
  readonly path: string;
  /** The path and what was expected there, as the error message shows it. */
  readonly text: string;
}

/**
 * Each problem of a zod failure, named by its full path. Given the schema, a key
 * a strict object does not know gets the closest known key as a suggestion.
 */
export function configProblems(error: z.ZodError, prefix: string, schema?: z.core.$ZodType): ConfigProblem[] {
  return error.issues.flatMap(unionBranch).flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys' && schema !== undefined) {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const path = joinPath(prefix, [...issue.path, key]);
        const near = closestKey(key, known);
        return { path, text: `${path}: unknown key${near ? ` (did you mean "${near}"?)` : ''}` };
      });
    }
    const path = joinPath(prefix, issue.path);
    return [{ path, text: `${path || '(root)'}: ${issue.message}` }];
  });
}

/** One `invalid-request` BrokerError for every problem at once, its `field` the first one's path. */
export function problemsError(problems: readonly ConfigProblem[], what = 'invalid config'): BrokerError {
  return new BrokerError('invalid-request', `${what}: ${problems.map((p) => p.text).join('; ')}`, {
    field: problems[0]?.path,
  });
}

/** Turns a zod failure into an `invalid-request` BrokerError naming each field path and what was expected. */
export function configError(
  error: z.ZodError,
  prefix: string,
  what = 'invalid config',
  schema?: z.core.$ZodType,
): BrokerError {
  return problemsError(configProblems(error, prefix, schema), what);
}

/** Parses `input` with `schema`, throwing a field-naming BrokerError on failure. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
  what?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw configError(result.error, prefix, what, schema);
  return result.data;
}

/**
 * The issues of the one union branch whose type the value has (the object of `false | {...}`),
 * so a bad field inside it is named by its own path; other issues as they are.
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const typed = issue.errors.filter(
    (branch) =>
      !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')),
  );
  const only = typed.length === 1 ? typed[0] : undefined;
  if (!only || only.length === 0) return [issue];
  return only.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
