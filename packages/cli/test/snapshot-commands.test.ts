import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { memoryLabCli } from './support/memory-lab.js';

const run = memoryLabCli('snapshots.json');

describe('snapshot create|get|list|delete', () => {
  it('creates once per key, refuses other params with the key, lists, deletes once, in --json and human output', async () => {
    const volume = await run([
      '--json',
      'volume',
      'create',
      'lab',
      'data',
      '--size',
      '1',
      '--availability-zone',
      'az-1',
    ]);
    expect(volume.code, volume.stderr).toBe(0);
    const volumeId = (JSON.parse(volume.stdout) as { id: string }).id;
    const create = ['snapshot', 'create', 'lab', volumeId, 'snap-1', '--metadata', 'role=sg'];
    const made = await run(['--json', ...create, '--idempotency-key', 'cli-snap']);
    expect(made.code, made.stderr).toBe(0);
    const snap = JSON.parse(made.stdout) as { id: string; status: string; volumeId: string };
    expect(snap).toMatchObject({ status: 'available', volumeId });
    const again = await run(['--json', ...create, '--idempotency-key', 'cli-snap']);
    expect((JSON.parse(again.stdout) as { id: string }).id).toBe(snap.id);
    const other = await run([
      '--json',
      'snapshot',
      'create',
      'lab',
      volumeId,
      'snap-2',
      '--idempotency-key',
      'cli-snap',
    ]);
    expect(other.code).toBe(EXIT_CODES.conflict);
    const listed = await run(['snapshot', 'list', 'lab', '--metadata', 'role=sg']);
    expect(listed.stdout).toContain(snap.id);
    const read = await run(['snapshot', 'get', 'lab', snap.id]);
    expect(read.stdout).toMatch(/status\s+available/);
    const deleted = await run(['snapshot', 'delete', 'lab', snap.id]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/deleted/);
    const repeat = await run(['--json', 'snapshot', 'delete', 'lab', snap.id]);
    expect(JSON.parse(repeat.stdout)).toEqual({ snapshotId: snap.id, deleted: false });
    const missing = await run(['snapshot', 'get', 'lab', snap.id]);
    expect(missing.code).toBe(EXIT_CODES['not-found']);
  });

  it('an empty name is invalid-request naming the field', async () => {
    const bad = await run(['snapshot', 'create', 'lab', 'vol-x', '']);
    expect(bad.code).toBe(EXIT_CODES['invalid-request']);
    expect(bad.stderr).toMatch(/name/);
  });
});
