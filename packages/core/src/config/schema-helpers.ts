import { z } from 'zod';
import { BrokerError } from '../errors.js';
import { Secret } from '../secret.js';

/**
 * A secret config string: accepted as a non-empty string (or a Secret) and
 * held as a {@link Secret}, so it never prints. Use it for every password,
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

/** Turns a zod failure into an `invalid-request` BrokerError naming each field path and what was expected. */
export function configError(error: z.ZodError, prefix: string, what = 'invalid config'): BrokerError {
  const problems = error.issues.map((issue) => {
    const path = joinPath(prefix, issue.path);
    return { path, text: `${path || '(root)'}: ${issue.message}` };
  });
  return new BrokerError('invalid-request', `${what}: ${problems.map((p) => p.text).join('; ')}`, {
    field: problems[0]?.path,
  });
}

/** Parses `input` with `schema`, throwing a field-naming BrokerError on failure. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
  what?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw configError(result.error, prefix, what);
  return result.data;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
