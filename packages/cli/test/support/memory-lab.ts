import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../src/index.js';
import { capturedIo } from './captured-io.js';
import { workDir } from './cli-process.js';

/** What one CLI run printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const DELAYS = 'buildMs: 5, attachMs: 5, detachMs: 5, deleteMs: 5';

/**
 * A `lab` memory platform with short delays and waits, in a work dir made before the file's
 * tests and removed after them; each run keeps the cloud in `stateFile` (`--memory-state`), so
 * the runs of a file see one cloud. `extraDelays` adds to the memory driver's delays.
 */
export function memoryLabCli(stateFile: string, extraDelays = ''): (args: string[]) => Promise<CliRun> {
  const config = `
platforms:
  lab:
    driver: memory
    delays: { ${DELAYS}${extraDelays ? `, ${extraDelays}` : ''} }
defaults:
  wait: { initialDelayMs: 2, maxDelayMs: 10, jitter: 0 }
`;
  let dir: Awaited<ReturnType<typeof workDir>> | undefined;
  beforeAll(async () => {
    dir = await workDir({ 'hybrid-broker.yaml': config });
  });
  afterAll(async () => {
    await dir?.remove();
  });
  return async (args) => {
    if (!dir) throw new Error('the lab work dir is made in beforeAll');
    const io = capturedIo({ cwd: dir.path });
    const code = await runCli(['--memory-state', join(dir.path, stateFile), ...args], io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
}
