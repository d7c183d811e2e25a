import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capturedIo } from './support/captured-io.js';
import { workDir } from './support/cli-process.js';

const CONFIG = `
platforms:
  lab:
    driver: memory
    delays: { buildMs: 5, attachMs: 5, detachMs: 5, deleteMs: 5 }
    volumes:
      - { id: vol-a, availabilityZone: az-1, name: data-a }
      - { id: vol-b, availabilityZone: az-1, name: data-b }
      - { id: vol-far, availabilityZone: az-2 }
defaults:
  wait: { initialDelayMs: 2, maxDelayMs: 10, jitter: 0 }
`;

let dir: Awaited<ReturnType<typeof workDir>>;
beforeAll(async () => {
  dir = await workDir({ 'hybrid-broker.yaml': CONFIG });
});
afterAll(async () => {
  await dir?.remove();
});

/** A command against one memory cloud kept in `state` across runs. */
function session(state: string) {
  const run = async (args: string[]) => {
    const io = capturedIo({ cwd: dir.path });
    const code = await runCli(['--memory-state', join(dir.path, state), ...args], io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
  const server = async (name: string, ...extra: string[]) => {
    const created = await run([
      '--json',
      'server',
      'create',
      'lab',
      name,
      '--image',
      'cirros',
      '--flavor',
      'm1.small',
      ...extra,
    ]);
    expect(created.code, created.stderr).toBe(0);
    return (JSON.parse(created.stdout) as { id: string }).id;
  };
  return { run, server };
}

describe('server list', () => {
  it('lists every server, or those matching --name, --metadata and --idempotency-key, in each output mode', async () => {
    const { run, server } = session('servers.json');
    const a = await server('sg-a', '--metadata', 'role=sg-client', '--idempotency-key', 'key-a');
    const b = await server('sg-b');
    const all = await run(['server', 'list', 'lab']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+ZONE\s+REGION$/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual([a, b].sort());
    const ids = async (...filter: string[]) =>
      (
        JSON.parse((await run(['--json', 'server', 'list', 'lab', ...filter])).stdout) as { id: string }[]
      ).map((s) => s.id);
    expect(await ids('--name', 'sg-b')).toEqual([b]);
    expect(await ids('--name', 'sg-')).toEqual([]);
    expect(await ids('--metadata', 'role=sg-client')).toEqual([a]);
    expect(await ids('--idempotency-key', 'key-a')).toEqual([a]);
    expect(await ids('--metadata', 'role=sg-client', '--name', 'sg-b')).toEqual([]);
    const verbose = await run(['--verbose', 'server', 'list', 'lab', '--name', 'sg-a']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain(a);
    expect((await run(['server', 'list', 'lab', '--name', 'nothing'])).stdout).toBe('(no servers)\n');
  });

  it('rejects a bad --metadata and a bad --idempotency-key, naming each, exit 2', async () => {
    const { run } = session('servers-bad.json');
    const metadata = await run(['server', 'list', 'lab', '--metadata', 'role']);
    expect(metadata.code).toBe(2);
    expect(metadata.stderr).toBe('error [invalid-request]: --metadata: expected key=value, got "role"\n');
    const key = await run(['--json', 'server', 'list', 'lab', '--idempotency-key', 'x'.repeat(65)]);
    expect(key.code).toBe(2);
    expect(JSON.parse(key.stderr)).toMatchObject({
      error: { code: 'invalid-request', field: 'idempotencyKey' },
    });
  });
});

describe('volume list', () => {
  it('filters by --server, --status, --name and --metadata', async () => {
    const { run, server } = session('volumes.json');
    const s = await server('sg');
    expect((await run(['volume', 'attach', 'lab', 'vol-a', s])).code).toBe(0);
    const ids = async (...filter: string[]) =>
      (JSON.parse((await run(['--json', 'volume', 'list', 'lab', ...filter])).stdout) as { id: string }[])
        .map((v) => v.id)
        .sort();
    expect(await ids()).toEqual(['vol-a', 'vol-b', 'vol-far']);
    expect(await ids('--server', s)).toEqual(['vol-a']);
    expect(await ids('--status', 'in-use')).toEqual(['vol-a']);
    expect(await ids('--status', 'available')).toEqual(['vol-b', 'vol-far']);
    expect(await ids('--name', 'data-b')).toEqual(['vol-b']);
    // No volume of the memory config carries metadata: a pair narrows the list to none.
    expect(await ids('--metadata', 'role=sg')).toEqual([]);
    const text = await run(['volume', 'list', 'lab', '--server', s]);
    expect(text.stdout).toMatch(
      /^ID\s+NAME\s+STATUS\s+SIZE\s+ZONE\s+ATTACHED TO\nvol-a\s+data-a\s+in-use\s+1 GiB\s+az-1\s+\S+\n$/,
    );
  });

  it('rejects a --status that is no volume status, naming the flag and the choices, exit 2', async () => {
    const { run } = session('volumes-bad.json');
    const bad = await run(['volume', 'list', 'lab', '--status', 'attached']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^error \[invalid-request\]: --status: expected one of creating, available, .*got "attached"\n$/,
    );
    const json = await run(['--json', 'volume', 'list', 'lab', '--status', 'attached']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { field: 'status', exitCode: 2 } });
  });
});

describe('--limit', () => {
  it('lists at most --limit servers and volumes, and refuses a limit that is no positive number, exit 2', async () => {
    const { run, server } = session('limits.json');
    await server('sg-1');
    await server('sg-2');
    const count = async (...args: string[]) =>
      (JSON.parse((await run(['--json', ...args])).stdout) as unknown[]).length;
    expect(await count('server', 'list', 'lab', '--limit', '1')).toBe(1);
    expect(await count('server', 'list', 'lab', '--limit', '5')).toBe(2);
    expect(await count('volume', 'list', 'lab', '--limit', '2')).toBe(2);
    const bad = await run(['volume', 'list', 'lab', '--limit', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error [invalid-request]: --limit: expected a positive whole number, got "0"\n');
    const json = await run(['--json', 'server', 'list', 'lab', '--limit', 'ten']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { field: 'limit', exitCode: 2 } });
  });
});

describe('volume move', () => {
  it('moves a volume, says what it did, and converges when repeated', async () => {
    const { run, server } = session('move.json');
    const from = await server('public-client');
    const to = await server('agent');
    expect((await run(['volume', 'attach', 'lab', 'vol-a', from])).code).toBe(0);
    const moved = await run(['volume', 'move', 'lab', 'vol-a', from, to]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toBe(
      `volume vol-a detached from server ${from}; attached to server ${to} as /dev/vdb\n`,
    );
    const again = await run(['--json', 'volume', 'move', 'lab', 'vol-a', from, to]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      detached: false,
      attached: false,
      attachment: { serverId: to, volumeId: 'vol-a', alreadyAttached: true },
    });
    const on = await run(['--json', 'volume', 'list', 'lab', '--server', to]);
    expect((JSON.parse(on.stdout) as { id: string }[]).map((v) => v.id)).toEqual(['vol-a']);
  });

  it('refuses a move into another zone before detaching, exit 2, and leaves the volume where it was', async () => {
    const { run, server } = session('move-far.json');
    const from = await server('public-client');
    const far = await server('agent-far', '--availability-zone', 'az-2');
    expect((await run(['volume', 'attach', 'lab', 'vol-a', from])).code).toBe(0);
    const refused = await run(['volume', 'move', 'lab', 'vol-a', from, far]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error \[invalid-request\]: .*zone/);
    const still = await run(['--json', 'volume', 'list', 'lab', '--server', from]);
    expect((JSON.parse(still.stdout) as { id: string }[]).map((v) => v.id)).toEqual(['vol-a']);
  });

  it('rejects a bad --timeout naming the flag', async () => {
    const { run } = session('move-bad.json');
    const bad = await run(['volume', 'move', 'lab', 'vol-a', 'x', 'y', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[invalid-request\]: --timeout: /);
  });
});

describe('volume detach --force', () => {
  it('force-detaches, says so, and a repeat is a no-op with exit 0', async () => {
    const { run, server } = session('force.json');
    const s = await server('sg');
    expect((await run(['volume', 'attach', 'lab', 'vol-b', s])).code).toBe(0);
    const forced = await run(['volume', 'detach', 'lab', 'vol-b', s, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toBe(`volume vol-b force-detached from server ${s}; it is available\n`);
    const again = await run(['--json', 'volume', 'detach', 'lab', 'vol-b', s, '--force']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ detached: false, volume: { status: 'available' } });
  });
});
