import type { CliIo } from '../../src/index.js';

/** A CliIo whose output is kept in strings, for in-process runs. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** Output captured; stderr is a terminal when `tty` is true (for the progress line). */
export function capturedIo(
  options: { cwd?: string; env?: Record<string, string>; tty?: boolean; signal?: AbortSignal } = {},
): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk), isTTY: options.tty === true },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    out: () => out,
    err: () => err,
  };
}
