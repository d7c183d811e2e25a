import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, startCli, VAULT_DRIVER, workDir } from './support/cli-process.js';

const LAB = `
platforms:
  lab:
    driver: memory
    availabilityZones: [az-1, az-2]
    delays: { buildMs: 30, attachMs: 20, detachMs: 20, deleteMs: 20 }
    volumes: [{ id: vol-original, availabilityZone: az-1 }]
  other:
    driver: memory
defaults:
  wait: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }
`;

const BAD = `
platforms:
  lab:
    driver: memory
    availabilityZones: []
`;

const SLOW = `
platforms:
  slow:
    driver: memory
    delays: { buildMs: 60000 }
`;

let dir: Awaited<ReturnType<typeof workDir>>;

beforeAll(async () => {
  await buildCli(120_000);
  dir = await workDir({ 'hybrid-broker.yaml': LAB, 'bad.yaml': BAD, 'slow.yaml': SLOW });
}, 130_000);

afterAll(async () => {
  await dir?.remove();
});

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe('hybrid-broker as a subprocess against the memory cloud', () => {
  it('walks the arbitrator flow across separate commands: create, get, attach, detach, delete', async () => {
    const state = ['--memory-state', 'flow-state.json', '--json'];
    const run = (args: string[]) => runCli([...args, ...state], { cwd: dir.path });

    const created = await run([
      'server',
      'create',
      'lab',
      'sg-client',
      '--image',
      'cirros',
      '--flavor',
      'm1.small',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const server = json(created.stdout);
    expect(server).toMatchObject({ name: 'sg-client', status: 'running', availabilityZone: 'az-1' });
    const serverId = String(server.id);

    const got = await run(['server', 'get', 'lab', serverId]);
    expect(got.code).toBe(0);
    expect(json(got.stdout)).toMatchObject({ id: serverId, status: 'running' });

    const attached = await run(['volume', 'attach', 'lab', 'vol-original', serverId]);
    expect(attached.code).toBe(0);
    expect(json(attached.stdout)).toMatchObject({ serverId, volumeId: 'vol-original', state: 'attached' });
    expect(json(attached.stdout).device).toMatch(/^\/dev\/vd[b-z]$/);

    const inUse = await run(['volume', 'get', 'lab', 'vol-original']);
    expect(json(inUse.stdout)).toMatchObject({ status: 'in-use', attachments: [{ serverId }] });

    const detached = await run(['volume', 'detach', 'lab', 'vol-original', serverId]);
    expect(detached.code).toBe(0);
    expect(json(detached.stdout)).toMatchObject({ detached: true, volume: { status: 'available' } });

    const deleted = await run(['server', 'delete', 'lab', serverId]);
    expect(json(deleted.stdout)).toEqual({ serverId, deleted: true });

    const gone = await run(['server', 'get', 'lab', serverId]);
    expect(gone.code).toBe(3);
    expect(gone.stdout).toBe('');
    expect(json(gone.stderr)).toMatchObject({ error: { code: 'not-found', exitCode: 3 } });
  }, 60_000);

  it('prints text for people: the server, then the attach device', async () => {
    const state = ['--memory-state', 'text-state.json'];
    const created = await runCli(
      ['server', 'create', 'lab', 'sg-text', '--image', 'cirros', '--flavor', 'm1.small', ...state],
      { cwd: dir.path },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^id\s+\S+\nname\s+sg-text\nstatus\s+running \(ACTIVE\)\n/);
    const serverId = /^id\s+(\S+)/.exec(created.stdout)?.[1] ?? '';
    const attached = await runCli(['volume', 'attach', 'lab', 'vol-original', serverId, ...state], {
      cwd: dir.path,
    });
    expect(attached.stdout).toMatch(/^volume\s+vol-original\nserver\s+\S+\ndevice\s+\/dev\/vdb\n/);
  }, 30_000);

  it('lists the configured platforms, read from HYBRID_BROKER_CONFIG', async () => {
    const listed = await runCli(['platforms', '--json'], {
      cwd: dir.path,
      env: { HYBRID_BROKER_CONFIG: join(dir.path, 'hybrid-broker.yaml') },
    });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      { name: 'lab', driver: 'memory' },
      { name: 'other', driver: 'memory' },
    ]);
  });

  it('rejects a bad config file in one line naming the field, exit 2', async () => {
    const result = await runCli(['--config', 'bad.yaml', 'platforms'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^error \[invalid-request\]: invalid config: platforms\.lab\.availabilityZones: /,
    );
  });

  it('names the configured platforms when asked for an unknown one, exit 2', async () => {
    const result = await runCli(['server', 'get', 'nowhere', 'srv-1'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error [invalid-request]: unknown platform "nowhere"; configured: lab, other\n',
    );
  });

  it('says how to name a config when the file is missing, exit 2', async () => {
    const result = await runCli(['platforms'], { cwd: join(dir.path, '..') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error \[invalid-request\]: config file \S+hybrid-broker\.yaml not found; name one with --config <path> or HYBRID_BROKER_CONFIG\n$/,
    );
  });

  it('ends a wait on Ctrl-C with exit 130 and one "aborted" line, keeping what the cloud accepted', async () => {
    const statePath = join(dir.path, 'slow-state.json');
    const started = Date.now();
    const { child, finished } = startCli(
      [
        '-c',
        'slow.yaml',
        '--memory-state',
        statePath,
        'server',
        'create',
        'slow',
        'sg-slow',
        '--image',
        'cirros',
        '--flavor',
        'm1.small',
      ],
      { cwd: dir.path },
    );
    // The state file appears once the cloud accepted the create: the CLI is then waiting.
    while (!existsSync(statePath) && Date.now() - started < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    const signalled = Date.now();
    child.kill('SIGINT');
    const result = await finished;
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error [aborted]: aborted by Ctrl-C; the cloud may still finish a request it accepted\n',
    );
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as {
      platforms: { slow: { servers: { name: string }[] } };
    };
    expect(saved.platforms.slow.servers.map((s) => s.name)).toEqual(['sg-slow']);
  }, 30_000);

  it('gives up a wait after --timeout with exit 6', async () => {
    const result = await runCli(
      [
        '-c',
        'slow.yaml',
        'server',
        'create',
        'slow',
        'sg',
        '--image',
        'cirros',
        '--flavor',
        'm1.small',
        '--timeout',
        '50',
      ],
      { cwd: dir.path },
    );
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /^error \[timeout\]: timed out after 50 ms waiting for server \S+ to be running \(last state BUILD\); the change may still happen .*\n$/,
    );
  });
});

describe('secrets of a third-party platform', () => {
  const CANARY_PASSWORD = 'canary-Pw-4b1e9d77';
  const CANARY_CODE = 'canary-Code-90ac3f1e';
  const VAULT = `
platforms:
  vault:
    driver: vault-cloud
    endpoint: https://vault.example.test
    password: \${VAULT_PASSWORD}
    vaultCode: ${CANARY_CODE}
`;
  const env = { VAULT_PASSWORD: CANARY_PASSWORD };

  it('never prints the password or a secret under an innocent key, even with --verbose', async () => {
    const local = await workDir({ 'vault.yaml': VAULT });
    try {
      const common = ['-c', 'vault.yaml', '--driver', VAULT_DRIVER];
      const runs = [];
      for (const args of [
        ['-v', 'server', 'get', 'vault', 'srv-1'],
        ['--json', '-v', 'server', 'get', 'vault', 'srv-1'],
        ['-v', 'volume', 'attach', 'vault', 'vol-1', 'srv-1'],
        ['-v', 'platforms'],
      ]) {
        runs.push(await runCli([...common, ...args], { cwd: local.path, env }));
      }
      const [text, asJson, attach, platforms] = runs;
      expect(text?.code).toBe(5);
      // The failure is still explained: code, message, provider facts and the cause, with the secrets cut out.
      expect(text?.stderr).toContain(
        'error [auth-failed]: login as admin/[redacted] refused (code [redacted])',
      );
      expect(text?.stderr).toContain(
        'provider code: LoginRefused, request id: req-vault-1, HTTP status: 401',
      );
      expect(text?.stderr).toContain('caused by: Error: HTTP 401 from https://vault.example.test');
      expect(text?.stderr).toContain('POST https://vault.example.test/login/[redacted] 401 3 ms req-vault-1');
      expect(asJson?.code).toBe(5);
      expect(attach?.code).toBe(5);
      expect(platforms?.stdout).toBe('vault  vault-cloud\n');
      for (const run of runs) {
        expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_PASSWORD);
        expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_CODE);
      }
    } finally {
      await local.remove();
    }
  }, 60_000);

  it('never prints them from a config that fails validation either', async () => {
    const local = await workDir({ 'vault.yaml': `${VAULT}    unexpected: ${CANARY_PASSWORD}\n` });
    try {
      const result = await runCli(['-c', 'vault.yaml', '--driver', VAULT_DRIVER, '-v', 'platforms'], {
        cwd: local.path,
        env,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error \[invalid-request\]: invalid config: platforms\.vault/);
      expect(`${result.stdout}${result.stderr}`).not.toContain(CANARY_PASSWORD);
      expect(`${result.stdout}${result.stderr}`).not.toContain(CANARY_CODE);
    } finally {
      await local.remove();
    }
  }, 30_000);
});
