import { type BrokerErrorCode, findBrokerError } from '@hybrid-broker/core';

/**
 * The process exit code of each BrokerError code. One table, so scripts can
 * branch on `$?` and the `--help` epilog and README cannot disagree with it.
 */
export const EXIT_CODES: Readonly<Record<BrokerErrorCode, number>> = {
  'provider-error': 1,
  'invalid-request': 2,
  'not-found': 3,
  conflict: 4,
  'invalid-state': 4,
  'auth-failed': 5,
  forbidden: 5,
  timeout: 6,
  throttled: 7,
  unavailable: 7,
  'quota-exceeded': 8,
  'placement-failed': 9,
  aborted: 130,
};

/** Bad command-line usage (unknown option, missing argument): the same as `invalid-request`. */
export const USAGE_EXIT_CODE = 2;

/** A failure that is not a BrokerError (a bug, or something no driver classified). */
export const UNEXPECTED_EXIT_CODE = 1;

/** The exit code for anything thrown by a command. */
export function exitCodeFor(error: unknown): number {
  const broker = findBrokerError(error);
  return broker === undefined ? UNEXPECTED_EXIT_CODE : EXIT_CODES[broker.code];
}

/** The exit-code table as the `--help` epilog prints it (codes sharing a number on one line). */
export function exitCodesHelp(): string {
  const byNumber = new Map<number, string[]>();
  for (const [code, exit] of Object.entries(EXIT_CODES)) {
    byNumber.set(exit, [...(byNumber.get(exit) ?? []), code]);
  }
  const lines = [...byNumber.entries()]
    .sort(([a], [b]) => a - b)
    .map(([exit, codes]) => `  ${String(exit).padStart(3)}  ${codes.join(', ')}`);
  return ['Exit codes (by error code):', '    0  success', ...lines].join('\n');
}
