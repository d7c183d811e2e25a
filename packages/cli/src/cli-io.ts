/** A stream the CLI writes to: process.stdout/stderr, or a buffer in tests. */
export interface CliStream {
  write(chunk: string): unknown;
  /** Only a terminal gets the progress indicator. */
  readonly isTTY?: boolean;
}

/**
 * Everything the CLI touches outside itself, so tests can run it in-process
 * with captured output, a chosen environment and their own AbortSignal.
 */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Read for `HYBRID_BROKER_CONFIG`, `HYBRID_BROKER_MEMORY_STATE` and `${NAME}` in config files. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (config, state file, driver modules) resolve against it. */
  readonly cwd: string;
  /** Aborts the running command (the bin wires Ctrl-C to it); it then exits 130. */
  readonly signal?: AbortSignal;
}
