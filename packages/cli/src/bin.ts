#!/usr/bin/env node
import { BrokerError } from '@hybrid-broker/core';
import { runCli } from './run-cli.js';

// Ctrl-C aborts the running call through its AbortSignal, so waits stop at once and the
// command ends with exit 130 and one line; a second Ctrl-C exits without waiting.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(
    new BrokerError('aborted', 'aborted by Ctrl-C; the cloud may still finish a request it accepted'),
  );
});

// `hybrid-broker ... | head` closes stdout early: the reader wanted no more, which is no
// failure, so a broken pipe ends the process quietly with 0 instead of an unhandled EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
