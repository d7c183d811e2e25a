import type { AnyDriverDefinition } from '@hybrid-broker/core';
import { collectSecrets, isSecretKey, redact, scrub } from '@hybrid-broker/core/driver-kit';

/**
 * Holds the secret strings of the loaded config and cuts them out of every
 * line the CLI prints. Core already scrubs error messages and events; the CLI
 * also prints cause chains (`--verbose`) and provider text core never sees,
 * so it scrubs once more at the last point before the terminal.
 */
export class SecretScrubber {
  readonly #known: string[] = [];

  /** Adds secret strings (empty and very short ones are ignored by `scrub`). */
  add(values: readonly string[]): void {
    for (const value of values) if (!this.#known.includes(value)) this.#known.push(value);
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  text(text: string): string {
    return scrub(text, this.#known);
  }

  /** A deep copy of `value` safe to print as JSON. */
  value(value: unknown): unknown {
    return redact(value, this.#known);
  }
}

/**
 * Every secret in a loaded config: strings under secret-named keys
 * (`password`, `clientSecret`, ...) anywhere, even in a config that fails
 * validation, plus every `Secret` a driver's schema makes (so a secret under
 * an innocent key name is found too).
 */
export function secretsOfConfig(
  config: unknown,
  definitions: ReadonlyMap<string, AnyDriverDefinition>,
): string[] {
  const found = secretsUnderSecretKeys(config);
  const platforms = (config as { platforms?: unknown } | null)?.platforms;
  if (typeof platforms !== 'object' || platforms === null) return found;
  for (const entry of Object.values(platforms)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { driver, wait: _wait, retry: _retry, ...rest } = entry as Record<string, unknown>;
    const definition = typeof driver === 'string' ? definitions.get(driver) : undefined;
    const parsed = definition?.configSchema.safeParse(rest);
    if (parsed?.success) collectSecrets(parsed.data, found);
  }
  return found;
}

function secretsUnderSecretKeys(value: unknown, found: string[] = [], depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth > 10) return found;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && isSecretKey(key)) found.push(v);
    else secretsUnderSecretKeys(v, found, depth + 1);
  }
  return found;
}
