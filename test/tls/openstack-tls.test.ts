/**
 * A private cloud's own CA: Keystone, Nova and Cinder over https whose certificate a test CA
 * signed (fixtures/: a CA and a 127.0.0.1 server certificate, made for these tests only, never
 * secret). A TLS proxy on 127.0.0.1 terminates https in front of cloud-sim and counts the
 * requests it decrypts, so the tests see that every request went over https.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';
import { BrokerError, createDriver } from '../../packages/core/src/index.js';
import { openstackDriver, readOsEnvironment } from '../../packages/driver-openstack/src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const CA = fixture('ca.pem');
const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };

// The proxy's sockets are real TLS: nock's interception would replace them with mock sockets.
// Every URL below is a 127.0.0.1 server of this file.
beforeAll(() => {
  nock.restore();
});
afterAll(() => {
  nock.activate();
});

let sim: CloudSim;
let proxy: tls.Server;
let origin: string;
let requestsOverTls = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  sim = await startCloudSim({ delays: { attachMs: 5, detachMs: 5 }, seed: 3 });
  const simPort = Number(new URL(sim.url).port);
  const [key, cert] = await Promise.all([readFile(fixture('server.key')), readFile(fixture('server.pem'))]);
  proxy = tls.createServer({ key, cert }, (secure) => {
    const upstream = net.connect(simPort, '127.0.0.1');
    sockets.add(secure);
    secure.on('close', () => sockets.delete(secure));
    secure.on('data', (chunk: Buffer) => {
      requestsOverTls += chunk.toString('latin1').match(/^(GET|POST|PUT|DELETE) \//gm)?.length ?? 0;
    });
    secure.pipe(upstream).pipe(secure);
    secure.on('error', () => upstream.destroy());
    upstream.on('error', () => secure.destroy());
  });
  proxy.on('tlsClientError', () => {}); // a refused handshake is what some tests expect
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  // The drivers' keep-alive connections would hold close() until the sim's keep-alive timeout.
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
  await sim.stop();
});

/** Keystone, Nova and Cinder all through the https proxy. */
function httpsConfig(extra: Record<string, unknown>) {
  const c = sim.credentials;
  return {
    auth: { ...passwordAuthOf(c), url: `${origin}/v3` },
    region: 'RegionOne',
    endpointOverrides: {
      compute: `${origin}/compute/RegionOne/v2.1/$(project_id)s`,
      volume: `${origin}/volume/RegionOne/v3/$(project_id)s`,
    },
    retry: { maxAttempts: 1 },
    wait: FAST,
    ...extra,
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(BrokerError);
      return error as BrokerError;
    },
  );

describe('openstack over https with a private CA', () => {
  it('trusts the CA of `cacert`: reads, attach and detach all go over https', async () => {
    const server = sim.openstack.createServer({});
    const volume = sim.openstack.createVolume({});
    sim.resetCounts();
    const before = requestsOverTls;
    const driver = createDriver(openstackDriver, httpsConfig({ cacert: CA }));
    expect((await driver.getServer({ serverId: server.id })).id).toBe(server.id);
    const attached = await driver.attachVolume({ serverId: server.id, volumeId: volume.id });
    expect(attached.state).toBe('attached');
    const detached = await driver.detachVolume({ serverId: server.id, volumeId: volume.id });
    expect(detached.detached).toBe(true);
    const served = Object.values(sim.counts()).reduce((a, b) => a + b, 0);
    expect(served).toBeGreaterThanOrEqual(7); // token, reads, POST, polls, DELETE
    expect(requestsOverTls - before).toBe(served);
  });

  it('refuses the certificate without the CA, saying why, and sends nothing', async () => {
    sim.resetCounts();
    const driver = createDriver(openstackDriver, httpsConfig({ transport: 'node-http' }));
    const error = await failure(driver.getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/certificate/i);
    expect(sim.counts()).toEqual({});
  });

  it('accepts any certificate with `verify: false` (test clouds only)', async () => {
    const volume = sim.openstack.createVolume({});
    const driver = createDriver(openstackDriver, httpsConfig({ verify: false }));
    expect((await driver.getVolume({ volumeId: volume.id })).id).toBe(volume.id);
  });

  it('reads `cacert` and `verify` from clouds.yaml as the OpenStack CLI does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-tls-'));
    try {
      const c = sim.credentials;
      const clouds = join(dir, 'clouds.yaml');
      await writeFile(
        clouds,
        [
          'clouds:',
          '  private:',
          '    auth:',
          `      auth_url: ${origin}/v3`,
          `      username: ${c.username}`,
          `      password: ${c.password}`,
          `      project_name: ${c.projectName}`,
          `      user_domain_name: ${c.userDomainName}`,
          `      project_domain_name: ${c.projectDomainName}`,
          '    region_name: RegionOne',
          `    cacert: ${CA}`,
          `    compute_endpoint_override: ${origin}/compute/RegionOne/v2.1/$(project_id)s`,
          `    volume_endpoint_override: ${origin}/volume/RegionOne/v3/$(project_id)s`,
        ].join('\n'),
      );
      const volume = sim.openstack.createVolume({});
      const driver = createDriver(openstackDriver, { cloud: 'private', cloudsFile: clouds, wait: FAST });
      expect((await driver.getVolume({ volumeId: volume.id })).id).toBe(volume.id);
      await writeFile(clouds, (await readFile(clouds, 'utf8')).replace(/cacert: .*/, 'verify: false'));
      const insecure = createDriver(openstackDriver, { cloud: 'private', cloudsFile: clouds, wait: FAST });
      expect((await insecure.getVolume({ volumeId: volume.id })).id).toBe(volume.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes OS_CACERT from an openrc environment', () => {
    const settings = readOsEnvironment({ OS_AUTH_URL: `${origin}/v3`, OS_CACERT: CA });
    expect(settings?.cacert).toBe(CA);
  });
});

describe('a CA setting the driver cannot honour is refused, naming the field', () => {
  it('an unreadable cacert', async () => {
    const driver = createDriver(openstackDriver, httpsConfig({ cacert: '/nonexistent/ca.pem' }));
    const error = await failure(driver.getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' }));
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe('platforms.openstack.cacert');
    expect(error.message).toMatch(/cannot read the CA bundle \/nonexistent\/ca\.pem \(ENOENT\)/);
  });

  it('a cacert that holds no certificate', async () => {
    const driver = createDriver(openstackDriver, httpsConfig({ cacert: fixture('server.key') }));
    const error = await failure(driver.getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' }));
    expect(error.field).toBe('platforms.openstack.cacert');
    expect(error.message).toMatch(/holds no PEM certificate/);
    expect(error.message).not.toMatch(/PRIVATE KEY/);
  });

  it('cacert with transport fetch, which takes no CA of its own on Node 20', async () => {
    const driver = createDriver(openstackDriver, httpsConfig({ cacert: CA, transport: 'fetch' }));
    const error = await failure(driver.getVolume({ volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803' }));
    expect(error.field).toBe('platforms.openstack.cacert');
    expect(error.message).toMatch(/needs transport "node-http"/);
  });
});
