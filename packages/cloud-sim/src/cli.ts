#!/usr/bin/env node
import { CliUsage, runCli } from './cli-main.js';

// `cloud-sim`: starts OpenStack, EC2 and ARM, prints their configs (or one JSON line
// with --json), serves until SIGINT/SIGTERM.
try {
  const run = await runCli(process.argv.slice(2));
  process.stdout.write(`${run.json ? run.summary : run.guide}\n`);
  const shutdown = (): void => {
    run.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof CliUsage) {
    // `--help` is an answer, not a failure: stdout and exit 0.
    (error.exitCode === 0 ? process.stdout : process.stderr).write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
}
