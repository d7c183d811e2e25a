import { describe, expect, it } from 'vitest';
import { memoryLabCli } from './support/memory-lab.js';

const run = memoryLabCli('tags.json');

describe('volume tag and server tag', () => {
  it('merge, remove and repeat on a volume and a server, in each output mode', async () => {
    const volume = await run([
      '--json',
      'volume',
      'create',
      'lab',
      'v1',
      '--size',
      '1',
      '--availability-zone',
      'az-1',
    ]);
    expect(volume.code, volume.stderr).toBe(0);
    const volumeId = (JSON.parse(volume.stdout) as { id: string }).id;
    const set = await run(['--json', 'volume', 'tag', 'lab', volumeId, 'owner=a', 'lv=1']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ id: volumeId, metadata: { owner: 'a', lv: '1' } });
    const merged = await run(['--json', 'volume', 'tag', 'lab', volumeId, 'owner=b', '--remove', 'lv']);
    expect(JSON.parse(merged.stdout).metadata).toEqual({ owner: 'b' });
    const repeat = await run(['volume', 'tag', 'lab', volumeId, 'owner=b', '--remove', 'lv']);
    expect(repeat.code, repeat.stderr).toBe(0);

    const server = await run([
      '--json',
      'server',
      'create',
      'lab',
      'sg-1',
      '--image',
      'cirros',
      '--flavor',
      'm1.small',
    ]);
    const serverId = (JSON.parse(server.stdout) as { id: string }).id;
    const tagged = await run(['--verbose', 'server', 'tag', 'lab', serverId, 'role=sg']);
    expect(tagged.code, tagged.stderr).toBe(0);
    const read = await run(['--json', 'server', 'get', 'lab', serverId]);
    expect(JSON.parse(read.stdout).metadata).toMatchObject({ role: 'sg' });
  });

  it('bad input is invalid-request (exit 2) naming the field; a missing server is not-found', async () => {
    const empty = await run(['--json', 'server', 'tag', 'lab', 'nope']);
    expect(empty.code).toBe(2);
    expect(empty.stdout + empty.stderr).toMatch(/set/);
    const pair = await run(['volume', 'tag', 'lab', 'nope', 'no-equals-sign']);
    expect(pair.code).toBe(2);
    const marker = await run(['server', 'tag', 'lab', 'nope', '--remove', 'hybrid-broker-idempotency-key']);
    expect(marker.code).toBe(2);
    expect(marker.stderr).toMatch(/idempotency marker/);
    const missing = await run(['server', 'tag', 'lab', 'a0000000-0000-4000-8000-00000000dead', 'a=1']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/not-found|not found/);
  });
});
