import { spawn } from 'node:child_process';
import { type CloudSim, startCloudSim } from '@hybrid-broker/cloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildCli, cliEnv, runCli, workDir } from './support/cli-process.js';

// Issue 26's CLI frictions, through the built CLI against cloud-sim's OpenStack: read
// timeouts, names beside ids, guest paths, required flags, a closed stdout pipe.
let sim: CloudSim;
let dir: Awaited<ReturnType<typeof workDir>>;

beforeAll(async () => {
  const [started] = await Promise.all([
    startCloudSim({ delays: { serverBuildMs: 20, attachMs: 10, detachMs: 10, serverDeleteMs: 5 } }),
    buildCli(120_000),
  ]);
  sim = started;
  const c = sim.credentials;
  dir = await workDir({
    'hybrid-broker.yaml': `
platforms:
  sim:
    driver: openstack
    auth: { method: password, url: ${sim.keystoneUrl}, username: ${c.username}, password: ${c.password},
      userDomainName: ${c.userDomainName}, projectName: ${c.projectName}, projectDomainName: ${c.projectDomainName} }
    wait: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }
`,
  });
}, 130_000);

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

const cli = (args: string[]) => runCli(args, { cwd: dir.path, timeoutMs: 18_000 });

describe('CLI frictions of issue 26', () => {
  it('bounds every read command with --timeout: exit 6 on a slow cloud', async () => {
    const volume = sim.openstack.createVolume({ name: 'slow' });
    const server = sim.openstack.createServer({ name: 'slow' });
    const ruleId = sim.faults.add({ method: 'GET', action: { type: 'latency', ms: 20_000 } });
    try {
      for (const args of [
        ['server', 'get', 'sim', server.id],
        ['server', 'list', 'sim'],
        ['volume', 'get', 'sim', volume.id],
        ['volume', 'list', 'sim'],
      ]) {
        const started = performance.now();
        const result = await cli([...args, '--timeout', '200']);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(6);
        expect(result.stderr).toMatch(/^error \[timeout\]: /);
        // well before the cloud's 20 s answer, however slow the CLI's start on a loaded machine
        expect(performance.now() - started).toBeLessThan(12_000);
      }
    } finally {
      sim.faults.remove(ruleId);
    }
    const fast = await cli(['volume', 'get', 'sim', volume.id, '--timeout', '10000']);
    expect(fast.code).toBe(0);
    const bad = await cli(['server', 'list', 'sim', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[invalid-request\]: --timeout: /);
  }, 60_000);

  it('server create shows the image and flavor names given beside their ids; attach shows guest paths', async () => {
    const created = await cli([
      'server',
      'create',
      'sim',
      'named',
      '--image',
      'cirros-0.6.2-x86_64-disk',
      '--flavor',
      'm1.tiny',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^image +cirros-0\.6\.2-x86_64-disk \([0-9a-f-]{36}\)$/m);
    expect(created.stdout).toMatch(/^flavor +m1\.tiny \(1\)$/m);
    const serverId = /^id +(\S+)$/m.exec(created.stdout)?.[1] ?? '';
    const volume = sim.openstack.createVolume({ name: 'paths' });
    const attached = await cli(['volume', 'attach', 'sim', volume.id, serverId]);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(
      new RegExp(`^guest paths +/dev/disk/by-id/virtio-${volume.id.slice(0, 20)}.*$`, 'm'),
    );
  }, 30_000);

  it('--help marks the required flags', async () => {
    const help = await cli(['server', 'create', '--help']);
    expect(help.stdout).toMatch(/^ {2}--image <image> +image id or name \(required\)$/m);
    expect(help.stdout).toMatch(/^ {2}--flavor <flavor> +.*\(required\)$/m);
    expect(help.stdout).not.toMatch(/--region <region>.*\(required\)/);
  });

  it('ends quietly with 0 when stdout is closed early (hybrid-broker --help | head)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { cwd: dir.path, env: cliEnv() });
    // The reader is gone before the help is written: the write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 15_000);
});
