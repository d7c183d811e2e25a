#!/usr/bin/env node
import { CliUsage, runCli } from './cli-main.js';

// `cloud-sim --port 0 --regions 3`: prints one JSON line, serves until SIGINT/SIGTERM.
try {
  const { sim, summary } = await runCli(process.argv.slice(2));
  process.stdout.write(`${summary}\n`);
  const shutdown = (): void => {
    sim.stop().then(() => process.exit(0));
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
