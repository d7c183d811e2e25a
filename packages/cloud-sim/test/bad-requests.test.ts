import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { call, FAST, login, type Session } from './helpers/sim-client.js';

// Junk in every body-taking route: each must answer 4xx in the service's own error format,
// never a 5xx, never a dropped connection.

let sim: CloudSim;
let s: Session;
let serverId: string;
beforeAll(async () => {
  sim = await startCloudSim({ delays: FAST });
  s = await login(sim);
  serverId = sim.openstack.createServer().id;
});
afterAll(() => sim.stop());

const JUNK: unknown[] = [
  null,
  [],
  'text',
  42,
  true,
  {},
  { server: null },
  { server: [] },
  { server: { name: 7, imageRef: {}, flavorRef: [] } },
  { server: { name: 'x', imageRef: 'x', flavorRef: '1', networks: 7 } },
  { server: { name: 'x', metadata: { a: 1 } } },
  { volume: null },
  { volume: { size: 'big' } },
  { volume: { size: 1, availability_zone: 5 } },
  { volumeAttachment: null },
  { volumeAttachment: { volumeId: 12 } },
  { volumeAttachment: { volumeId: 'x', device: 'sda' } },
  { auth: null },
  { auth: { identity: { methods: 'password' } } },
  { auth: { identity: { methods: ['password'], password: { user: null } } } },
  { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', password: 'x' } } } } },
  { auth: { identity: { methods: ['token'], token: {} } } },
  { auth: { identity: { methods: ['password', 'totp'] } } },
  { os_start: null, 'os-stop': null },
  { a: { b: { c: { d: { e: [1, [2, [3, [4]]]] } } } } },
];

describe('bad requests never crash the simulator', () => {
  const targets = () => [
    ['POST', `${sim.keystoneUrl}/auth/tokens`],
    ['POST', `${s.url('compute')}/servers`],
    ['POST', `${s.url('compute')}/servers/${serverId}/os-volume_attachments`],
    ['POST', `${s.url('compute')}/servers/${serverId}/action`],
    ['POST', `${s.url('volumev3')}/volumes`],
  ];

  it('JSON junk gets a 4xx error body', async () => {
    for (const [method, url] of targets()) {
      for (const body of JUNK) {
        const reply = await call(method as string, url as string, { token: s.token, body });
        expect(reply.status, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(reply.status, `${url} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(reply.body).toBeTypeOf('object');
      }
    }
  });

  it('non-JSON bodies get 400, odd paths 404, unsupported methods 405', async () => {
    for (const [method, url] of targets()) {
      for (const raw of ['{', 'nul', '\u0000\u0001', '<xml/>']) {
        const reply = await call(method as string, url as string, { token: s.token, raw });
        expect(reply.status).toBe(400);
      }
    }
    for (const path of [
      '/compute',
      '/compute/%zz/v2.1',
      '/volume/x/v9/p/volumes',
      '/v3/auth/nope',
      '/_sim/nope',
      '/..%2f',
    ]) {
      expect((await call('GET', `${sim.url}${path}`, { token: s.token })).status).toBe(404);
    }
    const patch = await call('PATCH', `${s.url('compute')}/servers/${serverId}`, { token: s.token });
    expect(patch).toMatchObject({ status: 405, body: { badMethod: { code: 405 } } });
    expect((await call('GET', `${s.url('compute')}/servers/${serverId}`, { token: s.token })).status).toBe(
      200,
    );
  });
});
