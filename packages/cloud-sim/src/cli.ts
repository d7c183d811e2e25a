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
  process.stderr.write(`${error instanceof CliUsage ? error.message : String(error)}\n`);
  process.exit(2);
}
