import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';
import { startCloudSim } from '../src/index.js';
import { call, login } from './helpers/sim-client.js';

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('server lifecycle', () => {
  it('starts in under 200 ms on a free loopback port', async () => {
    const started = performance.now();
    const sim = await startCloudSim({ regions: 3 });
    const elapsed = performance.now() - started;
    try {
      expect(elapsed).toBeLessThan(200);
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
      expect(sim.keystoneUrl).toBe(`${sim.url}/v3`);
      expect(sim.port).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });

  it('binds only to loopback: other local addresses refuse the connection', async () => {
    const sim = await startCloudSim();
    try {
      expect(await tryConnect('127.0.0.1', sim.port)).toBe(true);
      const external = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => a?.address ?? '');
      for (const address of external) expect(await tryConnect(address, sim.port)).toBe(false);
      expect(await tryConnect('::1', sim.port)).toBe(false);
    } finally {
      await sim.stop();
    }
  });

  it('reset forgets servers, volumes, tokens, faults and counts', async () => {
    const sim = await startCloudSim();
    try {
      const s = await login(sim);
      const server = sim.openstack.createServer();
      sim.faults.add({ path: '/nothing', action: { type: 'reset' } });
      expect((await call('POST', `${sim.url}/_sim/reset`)).status).toBe(204);
      expect(sim.openstack.getServer(server.id)).toBeUndefined();
      expect(sim.faults.list()).toEqual([]);
      expect(sim.counts()).toEqual({});
      expect((await call('GET', `${s.url('compute')}/servers`, { token: s.token })).status).toBe(401);
    } finally {
      await sim.stop();
    }
  });

  it('ids and tokens are reproducible under a seed', async () => {
    const ids = async () => {
      const sim = await startCloudSim({ seed: 99 });
      const v = sim.openstack.createVolume();
      const s = await login(sim);
      await sim.stop();
      return [v.id, s.token];
    };
    expect(await ids()).toEqual(await ids());
  });

  it('answers unknown paths with 404 itemNotFound', async () => {
    const sim = await startCloudSim();
    try {
      const reply = await call('GET', `${sim.url}/nope`);
      expect(reply).toMatchObject({ status: 404, body: { itemNotFound: { code: 404 } } });
      expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    } finally {
      await sim.stop();
    }
  });
});

describe('CLI', () => {
  it('runCli starts a simulator with the requested regions and prints its URLs as JSON', async () => {
    const { sim, summary, stop } = await runCli(['--port', '0', '--regions', '3', '--delay-ms', '5']);
    try {
      const parsed = JSON.parse(summary);
      expect(parsed).toMatchObject({
        url: sim.url,
        keystoneUrl: `${sim.url}/v3`,
        regions: ['RegionOne', 'RegionTwo', 'RegionThree'],
      });
      expect(parsed.credentials).toMatchObject({ username: 'demo', password: 'secret-password' });
      expect(sim.openstack.delays.attachMs).toBe(5);
    } finally {
      await stop();
    }
  });

  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  it.skipIf(!existsSync(cli))('dist/cli.js serves until SIGINT', async () => {
    const child = spawn(process.execPath, [cli, '--json', '--port', '0', '--regions', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
      child.once('error', reject);
    });
    const { keystoneUrl } = JSON.parse(line);
    expect((await call('GET', keystoneUrl)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
