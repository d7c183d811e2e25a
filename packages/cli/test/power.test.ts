import { describe, expect, it } from 'vitest';
import { memoryLabCli } from './support/memory-lab.js';

const run = memoryLabCli('power.json', 'powerMs: 5');

describe('server start|stop|reboot', () => {
  it('stops, starts and reboots a server in each output mode; a repeat is quiet', async () => {
    const created = await run([
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
    expect(created.code, created.stderr).toBe(0);
    const id = (JSON.parse(created.stdout) as { id: string }).id;

    const stopped = await run(['server', 'stop', 'lab', id]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/^power\s+stopped$/m);
    const again = await run(['--json', 'server', 'stop', 'lab', id]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, status: 'stopped', powerState: 'stopped' });

    // A reboot does not start a stopped server: invalid-state, its exit code.
    const refused = await run(['server', 'reboot', 'lab', id]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/invalid-state/);

    const started = await run(['--json', 'server', 'start', 'lab', id]);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ id, powerState: 'running' });
    const rebooted = await run(['--verbose', 'server', 'reboot', 'lab', id, '--hard']);
    expect(rebooted.code, rebooted.stderr).toBe(0);
    expect(rebooted.stdout).toMatch(/^power\s+running$/m);
    const unwaited = await run(['--json', 'server', 'stop', 'lab', id, '--no-wait']);
    expect(unwaited.code).toBe(0);
    expect(['stopping', 'stopped']).toContain(
      (JSON.parse(unwaited.stdout) as { powerState: string }).powerState,
    );
  });

  it('names the bad argument and a missing server', async () => {
    const missing = await run(['--json', 'server', 'start', 'lab', 'a0000000-0000-4000-8000-00000000dead']);
    expect(missing.code).not.toBe(0);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'not-found' } });
    const bad = await run(['server', 'stop', 'lab', 'x', '--timeout', 'soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--timeout/);
  });
});
