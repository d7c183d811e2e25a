import { type CloudSim, startCloudSim } from '@hybrid-broker/cloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { type CapturedIo, capturedIo } from './support/captured-io.js';
import { workDir } from './support/cli-process.js';

// `hybrid-broker watch` in-process against cloud-sim's OpenStack: the changes are made
// through the sim itself, as another tool would make them, not through the CLI.
let sim: CloudSim;
let dir: Awaited<ReturnType<typeof workDir>>;
let env: Record<string, string>;

beforeAll(async () => {
  sim = await startCloudSim({ regions: [{ name: 'az1' }] });
  const c = sim.credentials;
  env = { OS_PASSWORD: c.password };
  dir = await workDir({
    'hybrid-broker.yaml': `
platforms:
  cloud-a:
    driver: openstack
    auth:
      method: password
      url: ${sim.keystoneUrl}
      username: ${c.username}
      password: \${OS_PASSWORD}
      userDomainName: ${c.userDomainName}
      projectName: ${c.projectName}
      projectDomainName: ${c.projectDomainName}
    region: az1
`,
  });
});

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

/** Waits until stdout has a line matching `pattern`; fails naming what it saw. */
async function lineOf(io: CapturedIo, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = io
      .out()
      .split('\n')
      .find((l) => pattern.test(l));
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`no line ${pattern} in:\n${io.out()}\nstderr:\n${io.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function watchIn(args: string[], globals: string[] = []) {
  const controller = new AbortController();
  const io = capturedIo({ cwd: dir.path, env, signal: controller.signal });
  const exit = runCli([...globals, 'watch', 'cloud-a', '--poll-ms', '50', ...args], io);
  return { io, exit, stop: () => controller.abort() };
}

describe('hybrid-broker watch', () => {
  it('prints the volumes as added, then synced, then a change made out of band; Ctrl-C exits 0', async () => {
    const tag = `w${Date.now()}`;
    const first = sim.openstack.createVolume({ name: 'watched', sizeGiB: 1, region: 'az1' });
    const record = sim.state.volumes.get(first.id);
    if (record) record.metadata = { w: tag };
    sim.openstack.createVolume({ name: 'not-watched', sizeGiB: 1, region: 'az1' });
    const { io, exit, stop } = watchIn(['--volumes', '--metadata', `w=${tag}`]);
    expect(await lineOf(io, /^added volume /)).toBe(`added volume ${first.id} (available)`);
    await lineOf(io, /^synced$/);
    sim.openstack.setVolumeStatus(first.id, 'error');
    expect(await lineOf(io, /^modified volume /)).toBe(`modified volume ${first.id} status (error)`);
    stop();
    expect(await exit, io.err()).toBe(0);
    // only the selected volume, each event once
    expect(io.out().trim().split('\n')).toHaveLength(3);
  });

  it('prints one JSON object per line with --json', async () => {
    const { io, exit, stop } = watchIn(['--servers'], ['--json']);
    await lineOf(io, /"type":"synced"/);
    const server = sim.openstack.createServer({ name: 'late', region: 'az1' });
    await lineOf(io, new RegExp(`"id":"${server.id}"`));
    stop();
    expect(await exit, io.err()).toBe(0);
    const events = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; kind?: string; id?: string; cursor?: string });
    expect(events.at(-1)).toMatchObject({ type: 'added', kind: 'server', id: server.id });
    expect(events.filter((e) => e.type === 'synced')).toHaveLength(1);
    expect(events.every((e) => typeof e.cursor === 'string')).toBe(true);
  });

  it('a bad flag is invalid-request naming it, exit 2', async () => {
    const { io, exit } = watchIn(['--poll-ms', 'soon']);
    expect(await exit).toBe(2);
    expect(io.err()).toMatch(/--poll-ms/);
  });
});
