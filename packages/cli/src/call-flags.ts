import { BrokerError, type CallOptions, type ReadOptions } from '@hybrid-broker/core';

/** The waiting flags of a mutating command. */
export interface WaitFlags {
  /** False with `--no-wait`. */
  readonly wait?: boolean;
  readonly timeout?: string;
  readonly idempotencyKey?: string;
}

/**
 * Call options from the command line: `--no-wait` returns once the cloud
 * accepted the request; `--timeout <ms>` bounds the wait; the signal is the
 * CLI's (Ctrl-C). Bad values are `invalid-request` errors naming the flag.
 */
export function callOptions(flags: WaitFlags, signal: AbortSignal | undefined): CallOptions {
  const timeoutMs = flags.timeout === undefined ? undefined : parseMilliseconds(flags.timeout);
  if (flags.wait === false && timeoutMs !== undefined) {
    throw new BrokerError('invalid-request', '--timeout has no effect with --no-wait; give one of them', {
      field: 'timeout',
    });
  }
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(flags.wait === false ? { wait: false } : timeoutMs === undefined ? {} : { wait: { timeoutMs } }),
    ...(flags.idempotencyKey === undefined ? {} : { idempotencyKey: flags.idempotencyKey }),
  };
}

/** The flags of a read command: `--timeout <ms>` bounds the whole read. */
export interface ReadFlags {
  readonly timeout?: string;
}

/** Read options from the command line: the CLI's signal (Ctrl-C) and `--timeout <ms>`. */
export function readOptions(flags: ReadFlags, signal: AbortSignal | undefined): ReadOptions {
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(flags.timeout === undefined ? {} : { timeoutMs: parseMilliseconds(flags.timeout) }),
  };
}

function parseMilliseconds(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new BrokerError(
      'invalid-request',
      `--timeout: expected a positive whole number of milliseconds, got "${text}"`,
      { field: 'timeout' },
    );
  }
  return value;
}

/** `key=value` pairs (repeatable `--metadata`) as a record; a pair without `=` is an error naming the flag. */
export function parsePairs(pairs: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new BrokerError('invalid-request', `--${flag}: expected key=value, got "${pair}"`, {
        field: flag,
      });
    }
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
