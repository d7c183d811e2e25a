import type { z } from 'zod';
import { BrokerError, isBrokerError } from './errors.js';
import { scrub } from './secret.js';

/** Error properties that say what failed without carrying the request (`code`, `errno`...). */
const KEPT_FIELDS = ['code', 'errno', 'syscall', '$fault', 'statusCode'] as const;

/**
 * A copy of an error's cause chain that is safe to keep: each link keeps its
 * name, message, stack and code (secrets in them cut out), and nothing else.
 * SDK errors carry the signed request (AWS: `x-amz-security-token`, the
 * access key id in `Authorization`), its response or its headers (Azure's
 * RestError `request`): those never survive into a BrokerError's cause.
 */
export function safeCause(cause: unknown, known: readonly string[], depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause === 'string') return scrub(cause, known);
  if (typeof cause !== 'object') return typeof cause === 'function' ? undefined : cause;
  if (depth > 8) return undefined;
  const inner = safeCause((cause as { cause?: unknown }).cause, known, depth + 1);
  if (isBrokerError(cause)) {
    const copy = new BrokerError(cause.code, scrub(cause.message, known), {
      ...cause.details(),
      cause: inner,
    });
    copy.stack = scrub(cause.stack ?? '', known);
    return copy;
  }
  const message = scrub(String((cause as { message?: unknown }).message ?? ''), known);
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  const name = (cause as { name?: unknown }).name;
  copy.name = typeof name === 'string' ? name : 'Error';
  copy.stack = scrub(String((cause as { stack?: unknown }).stack ?? `${copy.name}: ${message}`), known);
  for (const field of KEPT_FIELDS) {
    const value = (cause as Record<string, unknown>)[field];
    if (typeof value === 'string' || typeof value === 'number') {
      Object.defineProperty(copy, field, { value, enumerable: true });
    }
  }
  return copy;
}

/**
 * What a YAML or JSON syntax error may say: where, never what. Both parsers
 * quote the offending source text (`yaml` prints the line with a caret, V8's
 * JSON.parse a snippet), and that text can be a password.
 */
export function syntaxErrorSummary(error: unknown): string {
  const e = error as { code?: unknown; linePos?: { line: number; col: number }[]; message?: unknown };
  const at = e.linePos?.[0];
  if (at)
    return `${typeof e.code === 'string' ? e.code : 'syntax error'} at line ${at.line}, column ${at.col}`;
  const position = /position (\d+)/.exec(String(e.message ?? ''));
  const line = /line (\d+) column (\d+)/.exec(String(e.message ?? ''));
  if (line) return `syntax error at line ${line[1]}, column ${line[2]}`;
  return position ? `syntax error at position ${position[1]}` : 'syntax error';
}

/**
 * The user info (`user:password`, the password alone, the user alone) of
 * every URL string anywhere in `value`: such URLs are refused by the config
 * schemas, but the refusal itself and anything printed before it must not
 * show them.
 */
export function urlCredentials(value: unknown, found: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]+)@/gi)) {
      const info = match[1] ?? '';
      const [user = '', password] = info.split(':');
      found.push(info, safeDecode(info));
      if (password) found.push(password, safeDecode(password));
      if (user) found.push(user, safeDecode(user));
    }
  } else if (typeof value === 'object' && value !== null && depth < 10) {
    for (const v of Object.values(value)) urlCredentials(v, found, depth + 1);
  }
  return [...new Set(found)].filter((s) => s.length >= 4);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `schema` (a URL schema) that also refuses user info: `http://user:pw@host`
 * fails with a message naming the field (the path comes from the schema) and
 * never the URL.
 *
 * @example
 * z.strictObject({ endpoint: refuseUserInfo(z.url()).optional() })
 */
export function refuseUserInfo<S extends z.ZodType<string>>(schema: S) {
  return schema.refine((value) => !hasUserInfo(value), {
    error:
      'expected a URL without user info: credentials in a URL are refused (they would show wherever the URL is named); give them in the auth settings',
  });
}

function hasUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}
