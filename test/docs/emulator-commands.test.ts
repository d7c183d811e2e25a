// docs/emulator.md's `try` blocks are what a new user types: start cloud-sim, then the CLI's
// commands for OpenStack, EC2 and Azure (which signs in with the client secret of cloud-sim's
// azure.yaml, at its https Entra ID). This runs them as written (the ids a
// user would copy from an output are copied from it), on loopback, bounded in time, and stops
// the emulator afterwards.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../packages/cli/test/support/cli-process.js';
import { codeBlocks, repoRoot } from './code-blocks.js';

const DOC_DIR = '/tmp/sim';
const blocks = codeBlocks('docs/emulator.md').filter((block) => block.mode === 'try');
const env = { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

let dir: string;
let emulator: ChildProcess | undefined;
let emulatorExit: Promise<number | null> | undefined;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: repoRoot, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      done({ code: error === null ? 0 : typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

/** A documented command line's arguments after `node`, in the test's own config directory. */
function argsOf(line: string, ids: Record<string, string>): string[] {
  const words = line.replaceAll(DOC_DIR, dir).replace(/ &$/, '').split(/\s+/).filter(Boolean);
  expect(words[0]).toBe('node');
  return words.slice(1).map((word) => ids[word] ?? word);
}

/** Starts the documented `cloud-sim` line and resolves once it printed its start message. */
async function startEmulator(line: string): Promise<string> {
  const child = spawn(process.execPath, argsOf(line, {}), { cwd: repoRoot, env, stdio: 'pipe' });
  emulator = child;
  emulatorExit = new Promise((done) => child.once('exit', (code) => done(code)));
  let out = '';
  child.stdout.setEncoding('utf8');
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`cloud-sim did not start: ${out}`)), 15_000);
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('admin API')) {
        clearTimeout(timer);
        done(out);
      }
    });
    child.once('exit', (code) => fail(new Error(`cloud-sim exited with ${code}: ${out}`)));
  });
}

beforeAll(async () => {
  await buildCli(180_000, ['packages/cloud-sim', 'packages/driver-aws', 'packages/driver-azure']);
  dir = await mkdtemp(join(tmpdir(), 'hybrid-broker-emulator-doc-'));
}, 190_000);

afterAll(async () => {
  emulator?.kill('SIGTERM');
  await emulatorExit;
  await rm(dir, { recursive: true, force: true });
});

describe('docs/emulator.md, as a new user follows it', () => {
  it('has the start line and the OpenStack, EC2 and Azure commands', () => {
    expect(blocks.map((block) => block.lang)).toEqual(['sh', 'sh', 'sh', 'sh']);
  });

  it('runs each documented command against the emulator it starts', async () => {
    const [start, ...rest] = blocks;
    const started = await startEmulator(start?.code.trim() ?? '');
    expect(started).toContain(`openstack: config ${dir}/openstack.yaml`);
    expect(rest.map((block) => /--config \S+\/(\w+)\.yaml/.exec(block.code)?.[1])).toEqual([
      'openstack',
      'aws',
      'azure',
    ]);
    let printed = started;
    for (const block of rest) {
      const ids: Record<string, string> = {};
      for (const line of block.code.trim().split('\n')) {
        const result = await run(argsOf(line, ids));
        printed += result.stdout + result.stderr;
        expect(result.code, `${line}\n${result.stderr}`).toBe(0);
        // What a user copies from an output: a listed volume's id, the created server's id.
        if (line.includes(' volume list '))
          ids['<volume-id>'] = result.stdout.split('\n')[1]?.split(' ')[0] ?? '';
        if (line.includes(' server create '))
          ids['<server-id>'] = /^id +(\S+)$/m.exec(result.stdout)?.[1] ?? '';
        if (line.includes(' volume attach ')) expect(result.stdout).toMatch(/^guest paths +\S/m);
      }
    }
    // The emulator's client secret is in azure.yaml, and nowhere in what was printed.
    const secret = /clientSecret: (\S+)/.exec(await readFile(join(dir, 'azure.yaml'), 'utf8'))?.[1];
    expect(secret).toMatch(/^sim~/);
    expect(printed).not.toContain(secret);
  }, 120_000);

  it('stops the emulator on SIGTERM, leaving no process behind', async () => {
    emulator?.kill('SIGTERM');
    expect(await emulatorExit).toBe(0);
  });
});
