import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The built CLI entry the tests run. */
export const BIN = join(ROOT, 'packages/cli/dist/bin.js');
/** The third-party-like driver fixture. */
export const VAULT_DRIVER = join(ROOT, 'packages/cli/test/fixtures/vault-driver.mjs');

/** What a CLI run produced. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Builds the CLI (and core) with the workspace's tsc, bounded in time, so the
 * subprocess tests run the real `dist/bin.js` as an operator would.
 */
export function buildCli(timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-b', 'packages/cli'],
      { cwd: ROOT, timeout: timeoutMs },
      (error, stdout, stderr) => (error ? fail(new Error(`tsc -b failed: ${stdout}${stderr}`)) : done()),
    );
  });
}

/** Environment of a CLI run: no inherited HYBRID_BROKER_* variables, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...extra };
  return env;
}

/** Runs `node dist/bin.js ...args` to completion, killed after `timeoutMs`. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: cliEnv(options.env), timeout: options.timeoutMs ?? 10_000 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        done({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Starts the CLI without waiting for it; `finished` resolves when it exits. */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): { child: ChildProcess; finished: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cliEnv(options.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<CliRun>((done) => {
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

/** A temporary directory with the given files; `remove()` deletes it. */
export async function workDir(
  files: Record<string, string>,
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'hybrid-broker-cli-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text, 'utf8');
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
