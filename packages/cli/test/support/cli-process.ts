import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
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
 * Builds the CLI (with core and the OpenStack and cascading drivers it runs against
 * cloud-sim, and `extraProjects`) with the workspace's tsc, bounded in time, so the subprocess
 * tests run the real `dist/bin.js` as an operator would. Test files run in
 * parallel: a lock file makes their builds take turns (the second is a no-op).
 */
export async function buildCli(timeoutMs: number, extraProjects: readonly string[] = []): Promise<void> {
  await withLock(
    join(tmpdir(), `hybrid-broker-cli-build-${createHash('sha1').update(ROOT).digest('hex')}.lock`),
    () =>
      new Promise<void>((done, fail) => {
        execFile(
          join(ROOT, 'node_modules/.bin/tsc'),
          ['-b', 'packages/cli', 'packages/driver-openstack', 'packages/driver-cascading', ...extraProjects],
          { cwd: ROOT, timeout: timeoutMs },
          (error, stdout, stderr) => (error ? fail(new Error(`tsc -b failed: ${stdout}${stderr}`)) : done()),
        );
      }),
    timeoutMs,
  );
}

async function withLock<T>(path: string, body: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        return await body();
      } finally {
        await handle.close();
        await rm(path, { force: true });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than the build timeout was left by a killed run.
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > timeoutMs) await rm(path, { force: true });
      if (Date.now() > deadline) throw new Error(`build lock ${path} still held after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
      { cwd: options.cwd, env: cliEnv(options.env), timeout: options.timeoutMs ?? 30_000 },
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
