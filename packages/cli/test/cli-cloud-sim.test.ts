import { type CloudSim, startCloudSim } from '@hybrid-broker/cloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, workDir } from './support/cli-process.js';

// The CLI as a subprocess against cloud-sim's OpenStack (Keystone, Nova, Cinder,
// Glance) on 127.0.0.1, through the real openstack driver: the "done when".
let sim: CloudSim;
let dir: Awaited<ReturnType<typeof workDir>>;
let env: Record<string, string>;

beforeAll(async () => {
  const [started] = await Promise.all([
    startCloudSim({
      regions: [{ name: 'az1' }, { name: 'az2', volume: 'volumev2' }, { name: 'az3', volume: false }],
      delays: {
        serverBuildMs: 40,
        serverDeleteMs: 10,
        volumeCreateMs: 5,
        volumeDeleteMs: 5,
        attachMs: 20,
        detachMs: 20,
      },
    }),
    buildCli(120_000),
  ]);
  sim = started;
  const c = sim.credentials;
  env = { OS_PASSWORD: c.password };
  const config = `
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
    wait: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }
    retry: { baseDelayMs: 1, maxDelayMs: 5 }
  cascade:
    driver: cascading
    auth:
      method: password
      url: ${sim.keystoneUrl}
      username: ${c.username}
      password: \${OS_PASSWORD}
      userDomainName: ${c.userDomainName}
      projectName: ${c.projectName}
      projectDomainName: ${c.projectDomainName}
`;
  dir = await workDir({ 'hybrid-broker.yaml': config });
}, 130_000);

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

const cli = (args: string[]) => runCli(args, { cwd: dir.path, env, timeoutMs: 15_000 });

describe('hybrid-broker against cloud-sim (openstack driver)', () => {
  it('creates a server in the volume zone, attaches the original volume, shows the device, detaches, deletes', async () => {
    const original = sim.openstack.createVolume({ name: 'original', sizeGiB: 1, region: 'az1' });
    const volume = JSON.parse((await cli(['--json', 'volume', 'get', 'cloud-a', original.id])).stdout) as {
      status: string;
      availabilityZone: string;
    };
    expect(volume.status).toBe('available');

    const created = await cli([
      '--json',
      'server',
      'create',
      'cloud-a',
      'sg-client',
      '--image',
      'cirros-0.6.2-x86_64-disk',
      '--flavor',
      'm1.small',
      '--availability-zone',
      volume.availabilityZone,
      '--idempotency-key',
      'sg-client-1',
    ]);
    expect(created.stderr).toBe('');
    const server = JSON.parse(created.stdout) as { id: string; status: string; providerStatus: string };
    expect(server).toMatchObject({ status: 'running', providerStatus: 'ACTIVE' });
    expect(sim.state.servers.size).toBe(1);

    const attached = await cli(['volume', 'attach', 'cloud-a', original.id, server.id]);
    expect(attached.code).toBe(0);
    expect(attached.stdout).toMatch(/\ndevice\s+\/dev\/vd[b-z]\n/);

    const detached = await cli(['--json', 'volume', 'detach', 'cloud-a', original.id, server.id]);
    expect(JSON.parse(detached.stdout)).toMatchObject({ detached: true, volume: { status: 'available' } });

    const deleted = await cli(['--json', 'server', 'delete', 'cloud-a', server.id]);
    expect(JSON.parse(deleted.stdout)).toEqual({ serverId: server.id, deleted: true });
    const gone = await cli(['server', 'get', 'cloud-a', server.id]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/^error \[not-found\]: /);
  }, 60_000);

  it('prints each HTTP request with --verbose, never the password', async () => {
    const original = sim.openstack.createVolume({ name: 'verbose', region: 'az1' });
    const result = await cli(['-v', 'volume', 'get', 'cloud-a', original.id]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^ {2}POST http:\/\/127\.0\.0\.1:\d+\/v3\/auth\/tokens 201 \d+ ms/m);
    expect(result.stderr).toMatch(new RegExp(`^  GET \\S+/volumes/${original.id} 200 \\d+ ms`, 'm'));
    expect(`${result.stdout}${result.stderr}`).not.toContain(sim.credentials.password);
  });

  it('lists the cascaded regions from the one Keystone catalog, with the services each lacks', async () => {
    const listed = await cli(['--json', 'regions', 'cascade']);
    expect(listed.stderr).toBe('');
    const regions = JSON.parse(listed.stdout) as { name: string; missing: string[] }[];
    expect(regions.map((r) => [r.name, r.missing])).toEqual([
      ['az1', []],
      ['az2', []],
      ['az3', ['volume']],
    ]);
    const text = await cli(['regions', 'cascade']);
    expect(text.stdout).toMatch(/^az3 +compute.*\(missing: volume\)$/m);
  });

  it('reports a refused login as auth-failed, exit 5, without the password even with --verbose', async () => {
    const wrong = 'canary-wrong-Pw-51c0de';
    const result = await runCli(['-v', 'volume', 'get', 'cloud-a', 'a26887c6-c47b-4654-abb5-dfadf7d3f803'], {
      cwd: dir.path,
      env: { OS_PASSWORD: wrong },
      timeoutMs: 15_000,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error \[auth-failed\]: /m);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
    // The fields that were sent, by name only, so a wrong name or domain is told from a wrong password.
    const fields =
      '(platforms.cloud-a.auth: username, userDomainName, password, projectName, projectDomainName)';
    expect(result.stderr).toMatch(/^error \[auth-failed\]: .*\(platforms\.cloud-a\.auth: /m);
    expect(result.stderr).toContain(fields);
    const json = await runCli(
      ['--json', 'volume', 'get', 'cloud-a', 'a26887c6-c47b-4654-abb5-dfadf7d3f803'],
      {
        cwd: dir.path,
        env: { OS_PASSWORD: wrong },
        timeoutMs: 15_000,
      },
    );
    const reported = JSON.parse(json.stderr) as { error: { code: string; message: string } };
    expect(reported.error.code).toBe('auth-failed');
    expect(reported.error.message).toContain(fields);
    expect(`${json.stdout}${json.stderr}`).not.toContain(wrong);
  });

  it('reports a missing ${ENV} variable as a config error naming the field, exit 2', async () => {
    const result = await runCli(['platforms'], { cwd: dir.path, env: {}, timeoutMs: 15_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error [invalid-request]: platforms.cloud-a.auth.password: environment variable OS_PASSWORD is not set\n',
    );
  });
});
