import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { memoryLabCli } from './support/memory-lab.js';

const run = memoryLabCli('volumes.json');

const CREATE = ['volume', 'create', 'lab', 'data-1', '--size', '2', '--availability-zone', 'az-1'];

describe('volume create|delete', () => {
  it('creates once per key, refuses other params with the key, deletes once, in --json and human output', async () => {
    const made = await run(['--json', ...CREATE, '--metadata', 'role=sg', '--idempotency-key', 'cli-1']);
    expect(made.code, made.stderr).toBe(0);
    const volume = JSON.parse(made.stdout) as { id: string; status: string; sizeGiB: number };
    expect(volume).toMatchObject({ status: 'available', sizeGiB: 2 });
    const again = await run(['--json', ...CREATE, '--metadata', 'role=sg', '--idempotency-key', 'cli-1']);
    expect((JSON.parse(again.stdout) as { id: string }).id).toBe(volume.id);
    const other = await run(['--json', ...CREATE, '--idempotency-key', 'cli-1']);
    expect(other.code).toBe(EXIT_CODES.conflict);
    expect(other.stderr).toMatch(/metadata/);
    const deleted = await run(['volume', 'delete', 'lab', volume.id]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/deleted/);
    const repeat = await run(['--json', 'volume', 'delete', 'lab', volume.id]);
    expect(repeat.code).toBe(0);
    expect(JSON.parse(repeat.stdout)).toEqual({ volumeId: volume.id, deleted: false });
  });

  it('a bad --size is invalid-request naming the flag', async () => {
    const bad = await run([...CREATE.slice(0, 4), '--size', 'two', '--availability-zone', 'az-1']);
    expect(bad.code).toBe(EXIT_CODES['invalid-request']);
    expect(bad.stderr).toMatch(/--size/);
  });
});
