import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capturedIo } from './support/captured-io.js';
import { workDir } from './support/cli-process.js';

const CONFIG = `
platforms:
  lab:
    driver: memory
    delays: { buildMs: 120, attachMs: 5, detachMs: 5, deleteMs: 5 }
    volumes: [{ id: vol-original, availabilityZone: az-1 }, { id: vol-far, availabilityZone: az-2 }]
  slow:
    driver: memory
    delays: { buildMs: 60000 }
defaults:
  wait: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }
`;

let dir: Awaited<ReturnType<typeof workDir>>;
beforeAll(async () => {
  dir = await workDir({ 'hybrid-broker.yaml': CONFIG, 'empty.mjs': 'export const nothing = 1;\n' });
});
afterAll(async () => {
  await dir?.remove();
});

const run = async (args: string[], options: { tty?: boolean; signal?: AbortSignal } = {}) => {
  const io = capturedIo({ cwd: dir.path, ...options });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
};
const CLEAR_LINE = '\r\x1b[2K';
const create = ['server', 'create', 'lab', 'sg', '--image', 'cirros', '--flavor', 'm1.small'];

describe('progress while waiting', () => {
  it('draws a spinner line with what is awaited and the state seen, then erases it, on a terminal', async () => {
    const result = await run(create, { tty: true });
    expect(result.code).toBe(0);
    const frames = result.stderr.split(CLEAR_LINE);
    expect(frames).toContainEqual(
      expect.stringMatching(/^. waiting for server \S+ to be running: BUILD \(poll \d+, \d+\.\d s\)$/),
    );
    expect(frames).toContainEqual(
      expect.stringMatching(/^ {2}BUILD -> ACTIVE \(server \S+ to be running\)\n/),
    );
    // The last write erases the spinner, so the result starts on a clean line.
    expect(frames.at(-1)).toBe('');
    expect(result.stdout).toMatch(/^id\s+\S+\nname\s+sg\n/);
  });

  it('stays silent with --json, so a script reading stderr sees only errors', async () => {
    const result = await run([...create, '--json'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'sg', status: 'running' });
  });

  it('stays silent when stderr is not a terminal', async () => {
    const result = await run(create, { tty: false });
    expect(result.stderr).toBe('');
  });
});

describe('waiting flags', () => {
  it('returns at once with --no-wait: the server is still building', async () => {
    const result = await run(['--json', ...create, '--no-wait']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'building', providerStatus: 'BUILD' });
  });

  it('rejects a --timeout that is not a positive whole number, naming the flag', async () => {
    for (const bad of ['abc', '0', '1.5', '-3']) {
      const result = await run([...create, `--timeout=${bad}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `error [invalid-request]: --timeout: expected a positive whole number of milliseconds, got "${bad}"\n`,
      );
    }
  });

  it('rejects --timeout together with --no-wait', async () => {
    const result = await run([...create, '--no-wait', '--timeout', '100']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error \[invalid-request\]: --timeout has no effect with --no-wait/);
  });

  it('aborts a wait when the signal aborts (Ctrl-C in the bin): exit 130, one line', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const result = await run(['server', 'create', 'slow', 's', '--image', 'cirros', '--flavor', 'm1.small'], {
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.code).toBe(130);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^error \[aborted\]: /), '']);
  });
});

describe('requests built from flags', () => {
  it('passes --metadata pairs and an --idempotency-key: a repeated create returns the first server', async () => {
    const state = join(dir.path, 'idem.json');
    const args = [
      '--json',
      '--memory-state',
      state,
      ...create,
      '--metadata',
      'role=sg-client',
      '--metadata',
      'tier=a=b',
    ];
    const first = await run([...args, '--idempotency-key', 'sg-1']);
    const second = await run([...args, '--idempotency-key', 'sg-1']);
    const server = JSON.parse(first.stdout) as { id: string; metadata: Record<string, string> };
    expect(server.metadata).toMatchObject({ role: 'sg-client', tier: 'a=b' });
    expect((JSON.parse(second.stdout) as { id: string }).id).toBe(server.id);
  });

  it('rejects a --metadata without "=" and a bad --idempotency-key, naming each', async () => {
    const metadata = await run([...create, '--metadata', 'role']);
    expect(metadata.code).toBe(2);
    expect(metadata.stderr).toBe('error [invalid-request]: --metadata: expected key=value, got "role"\n');
    const key = await run(['--json', ...create, '--idempotency-key', 'no spaces allowed']);
    expect(key.code).toBe(2);
    expect(JSON.parse(key.stderr)).toMatchObject({
      error: { code: 'invalid-request', field: 'idempotencyKey' },
    });
  });

  it('reads --user-data from a file and says which flag when the file is missing', async () => {
    const missing = await run([...create, '--user-data', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error \[invalid-request\]: --user-data: cannot read nope\.yaml: /);
  });
});

describe('exit codes of real failures', () => {
  it('maps a cross-zone attach to 2, a repeated attach to 0, one held elsewhere to 4 and a missing volume to 3', async () => {
    const state = ['--json', '--memory-state', join(dir.path, 'codes.json')];
    const server = JSON.parse((await run([...state, ...create])).stdout) as { id: string };
    const far = await run([...state, 'volume', 'attach', 'lab', 'vol-far', server.id]);
    expect(far.code).toBe(2);
    expect(JSON.parse(far.stderr).error.message).toMatch(/availability zone az-2 but server \S+ is in az-1/);
    expect((await run([...state, 'volume', 'attach', 'lab', 'vol-original', server.id])).code).toBe(0);
    const again = await run([...state, 'volume', 'attach', 'lab', 'vol-original', server.id]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyAttached: true, state: 'attached' });
    const other = JSON.parse(
      (
        await run([
          ...state,
          'server',
          'create',
          'lab',
          'sg-other',
          '--image',
          'cirros',
          '--flavor',
          'm1.small',
        ])
      ).stdout,
    ) as { id: string };
    const held = await run([...state, 'volume', 'attach', 'lab', 'vol-original', other.id]);
    expect(held.code).toBe(4);
    expect(JSON.parse(held.stderr).error).toMatchObject({ code: 'conflict', heldBy: server.id });
    expect((await run([...state, 'volume', 'get', 'lab', 'vol-missing'])).code).toBe(3);
  });

  it('says a single-region platform has no regions, exit 2', async () => {
    const result = await run(['regions', 'lab']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error [invalid-request]: the memory driver does not span regions\n');
  });

  it('rejects a corrupt memory state file, naming it', async () => {
    await writeFile(join(dir.path, 'corrupt.json'), '{ not json', 'utf8');
    const result = await run(['--memory-state', 'corrupt.json', 'server', 'get', 'lab', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error \[invalid-request\]: memory state file \S+corrupt\.json: not valid JSON\n$/,
    );
  });

  it('rejects a --driver module that exports no driver definition', async () => {
    const result = await run(['--driver', './empty.mjs', 'platforms']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error \[invalid-request\]: --driver \.\/empty\.mjs: exports no driver definition/,
    );
  });

  it("exits 2 on bad usage with commander's message, and 0 for --version", async () => {
    const unknown = await run(['server', 'get', 'lab']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: missing required argument 'server-id'/);
    const version = await run(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});
