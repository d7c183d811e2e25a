import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { KEYSTONE_401 } from './helpers/openstack-shapes.js';
import { call, FAST, login, passwordAuth, type Session, waitFor } from './helpers/sim-client.js';

let sim: CloudSim;
let s: Session;
let compute: string;
beforeEach(async () => {
  sim = await startCloudSim({ delays: FAST });
  s = await login(sim);
  compute = s.url('compute');
});
afterEach(() => sim.stop());

const SERVER = '/compute/{region}/v2.1/{project}/servers/{id}';
const ATTACH = '/compute/{region}/v2.1/{project}/servers/{id}/os-volume_attachments';

describe('fault rules', () => {
  it('error: status with the service error body, or a literal body', async () => {
    sim.faults.add({
      method: 'GET',
      path: '/compute/*/v2.1/*/servers',
      times: 1,
      action: { type: 'error', status: 500, message: 'boom' },
    });
    const failed = await call('GET', `${compute}/servers`, { token: s.token });
    expect(failed).toMatchObject({ status: 500, body: { computeFault: { code: 500, message: 'boom' } } });
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(200);
    sim.faults.add({
      path: '/v3/auth/tokens',
      action: { type: 'error', status: 418, body: { teapot: true } },
    });
    expect(await call('POST', `${sim.keystoneUrl}/auth/tokens`, { body: passwordAuth(sim) })).toMatchObject({
      status: 418,
      body: { teapot: true },
    });
  });

  it('throttle: 429 overLimit with Retry-After and retryAfter', async () => {
    sim.faults.add({ path: '/compute/**', action: { type: 'throttle', retryAfterSeconds: 3 } });
    const reply = await call('GET', `${compute}/servers`, { token: s.token });
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
    expect(reply.body).toEqual({ overLimit: { code: 429, message: expect.any(String), retryAfter: '3' } });
  });

  it('throttle with 403 or 413 (older Nova rate limits) keeps the overLimit body', async () => {
    sim.faults.add({
      path: '/compute/**',
      times: 1,
      action: { type: 'throttle', status: 403, retryAfterSeconds: 2 },
    });
    const reply = await call('GET', `${compute}/servers`, { token: s.token });
    expect(reply.body).toEqual({ overLimit: { code: 403, message: expect.any(String), retryAfter: '2' } });
  });

  it('unavailable: 503 in Keystone format on Keystone routes', async () => {
    sim.faults.add({ method: 'POST', path: '/v3/auth/tokens', action: { type: 'unavailable' } });
    const reply = await call('POST', `${sim.keystoneUrl}/auth/tokens`, { body: passwordAuth(sim) });
    expect(reply.status).toBe(503);
    expect(reply.body.error).toMatchObject({ code: 503, title: 'Service Unavailable' });
  });

  it('latency delays the response', async () => {
    sim.faults.add({ path: '/compute/**', action: { type: 'latency', ms: 60 } });
    const started = performance.now();
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('rendezvous answers the held requests together once all arrived, or each after maxMs', async () => {
    sim.faults.add({
      path: '/compute/*/v2.1/*/servers',
      times: 3,
      action: { type: 'rendezvous', count: 2, maxMs: 30_000 },
    });
    const answered: string[] = [];
    const first = call('GET', `${compute}/servers`, { token: s.token }).then(() => answered.push('first'));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered, 'the first is held until the second arrives').toEqual([]);
    await Promise.all([first, call('GET', `${compute}/servers`, { token: s.token })]);
    expect(answered).toEqual(['first']);
    sim.faults.clear();
    sim.faults.add({ path: '/compute/**', times: 1, action: { type: 'rendezvous', count: 2, maxMs: 50 } });
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status, 'alone after maxMs').toBe(
      200,
    );
  });

  it('reset destroys the connection without a response', async () => {
    sim.faults.add({ path: '/compute/**', times: 1, action: { type: 'reset' } });
    await expect(fetch(`${compute}/servers`, { headers: { 'x-auth-token': s.token } })).rejects.toThrow();
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(200);
  });

  it('revoke-token makes the call (and later ones) fail 401', async () => {
    sim.faults.add({ method: 'GET', path: `${SERVER}`, times: 1, action: { type: 'revoke-token' } });
    const server = sim.openstack.createServer();
    const reply = await call('GET', `${compute}/servers/${server.id}`, { token: s.token });
    expect(reply).toMatchObject({ status: 401, body: KEYSTONE_401 });
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(401);
  });

  it('stuck keeps a volume attaching; error-state ends it in error_attaching', async () => {
    const server = sim.openstack.createServer();
    const [a, b] = [sim.openstack.createVolume(), sim.openstack.createVolume()];
    sim.faults.add({ method: 'POST', path: ATTACH, times: 1, action: { type: 'stuck' } });
    sim.faults.add({ method: 'POST', path: ATTACH, skip: 1, times: 1, action: { type: 'error-state' } });
    const body = (volumeId: string) => ({ volumeAttachment: { volumeId } });
    expect(
      (
        await call('POST', `${compute}/servers/${server.id}/os-volume_attachments`, {
          token: s.token,
          body: body(a.id),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `${compute}/servers/${server.id}/os-volume_attachments`, {
          token: s.token,
          body: body(b.id),
        })
      ).status,
    ).toBe(200);
    await waitFor(
      async () => sim.openstack.getVolume(b.id)?.status,
      (st) => st === 'error_attaching',
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(sim.openstack.getVolume(a.id)?.status).toBe('attaching');
  });

  it('{id} in a rule matches only the placeholder route, not /servers/detail', async () => {
    sim.faults.add({ method: 'GET', path: SERVER, action: { type: 'error', status: 500 } });
    expect((await call('GET', `${compute}/servers/detail`, { token: s.token })).status).toBe(200);
    expect((await call('GET', `${compute}/servers/abc`, { token: s.token })).status).toBe(500);
  });

  it('skip and times fire exactly on the chosen calls', async () => {
    sim.faults.add({
      method: 'GET',
      path: '/compute/**',
      skip: 1,
      times: 2,
      action: { type: 'unavailable' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call('GET', `${compute}/servers`, { token: s.token })).status);
    expect(statuses).toEqual([200, 503, 503, 200, 200]);
    expect(sim.faults.list()[0]).toMatchObject({ seen: 3, fired: 2 });
  });

  it('probability draws are deterministic under a seed', async () => {
    const run = async () => {
      const seeded = await startCloudSim({
        seed: 7,
        faults: [{ path: '/v3', probability: 0.5, action: { type: 'unavailable' } }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call('GET', seeded.keystoneUrl)).status);
      await seeded.stop();
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('can be set, listed and cleared through POST/GET/DELETE /_sim/faults', async () => {
    const added = await call('POST', `${sim.url}/_sim/faults`, {
      body: {
        rules: [
          { method: 'GET', path: '/compute/**', action: { type: 'error', status: 409, message: 'busy' } },
        ],
      },
    });
    expect(added.status).toBe(201);
    const conflict = await call('GET', `${compute}/servers`, { token: s.token });
    expect(conflict.body).toEqual({ conflictingRequest: { code: 409, message: 'busy' } });
    expect((await call('GET', `${sim.url}/_sim/faults`)).body.faults).toHaveLength(1);
    expect((await call('DELETE', `${sim.url}/_sim/faults/${added.body.ids[0]}`)).status).toBe(204);
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(200);
    const invalid = await call('POST', `${sim.url}/_sim/faults`, { body: { action: { type: 'explode' } } });
    expect(invalid.status).toBe(400);
  });
});
