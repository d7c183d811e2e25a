import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret config value (password, token, key, client secret). It prints,
 * serializes and inspects as `[redacted]`; only {@link Secret.reveal} gives
 * the value, and only the code that sends it to the cloud calls it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Object keys whose values are secrets wherever they appear. */
const SECRET_KEY =
  /pass(word)?|secret|token|credential|private.?key|access.?key|api.?key|authorization|signature|x-auth|session/i;

/** True when a key names a secret value. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy of `value` safe to log: Secrets and values under secret-named
 * keys become `[redacted]`, and any string listed in `known` is cut out of
 * every other string.
 */
export function redact(value: unknown, known: readonly string[] = [], depth = 0): unknown {
  if (value instanceof Secret) return REDACTED;
  if (typeof value === 'string') return scrub(value, known);
  // a Date holds no secret, and copied field by field it would become {}
  if (typeof value !== 'object' || value === null || value instanceof Date || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretKey(key) && v !== undefined && v !== null ? REDACTED : redact(v, known, depth + 1);
  }
  return out;
}

/**
 * Replaces each known secret string found in `text` with `[redacted]`, and a
 * secret's beginning cut off by a `...` truncation (a provider message
 * shortened before it reached us) too.
 */
export function scrub(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.includes('...') ? scrubTruncated(out, known) : out;
}

function scrubTruncated(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    for (let length = secret.length - 1; length >= 4; length--) {
      const cut = `${secret.slice(0, length)}...`;
      if (out.includes(cut)) out = out.split(cut).join(`${REDACTED}...`);
    }
  }
  return out;
}

/** Strips query string and user info from a URL for events and errors. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? '';
  }
}
