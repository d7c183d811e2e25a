import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { KEYSTONE_401, keystoneTokenShape } from './helpers/openstack-shapes.js';
import { call, login, passwordAuth } from './helpers/sim-client.js';

let sim: CloudSim;
beforeEach(async () => {
  sim = await startCloudSim({ tokenTtlMs: 60_000 });
});
afterEach(() => sim.stop());

const tokens = () => `${sim.keystoneUrl}/auth/tokens`;

function password(user: unknown, scope?: unknown) {
  return { auth: { identity: { methods: ['password'], password: { user } }, ...(scope ? { scope } : {}) } };
}

describe('POST /v3/auth/tokens', () => {
  it('returns 201, X-Subject-Token and the documented token body for password auth by name + domain', async () => {
    const reply = await call('POST', tokens(), { body: passwordAuth(sim) });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('x-subject-token')).toMatch(/^gAAAAA/);
    expect(reply.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(reply.body).toEqual(keystoneTokenShape);
    expect(reply.body.token.methods).toEqual(['password']);
    expect(reply.body.token.user).toMatchObject({ name: 'demo', domain: { id: 'default', name: 'Default' } });
    expect(reply.body.token.project).toMatchObject({ id: sim.credentials.projectId, name: 'demo' });
  });

  it('matches a real Keystone in key order, time precision and headers', async () => {
    const reply = await call('POST', tokens(), { body: passwordAuth(sim) });
    expect(reply.headers.get('vary')).toBe('X-Auth-Token');
    expect(Object.keys(reply.body.token)).toEqual([
      'methods',
      'user',
      'audit_ids',
      'expires_at',
      'issued_at',
      'project',
      'is_domain',
      'roles',
      'catalog',
    ]);
    expect(reply.body.token.issued_at).toMatch(/\.000000Z$/);
    expect(reply.body.token.audit_ids[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Object.keys(reply.body.token.catalog[0])).toEqual(['endpoints', 'id', 'type', 'name']);
    expect(Object.keys(reply.body.token.catalog[0].endpoints[0])).toEqual([
      'id',
      'interface',
      'region_id',
      'url',
      'region',
    ]);
    const identity = reply.body.token.catalog.find((c: { type: string }) => c.type === 'identity');
    expect(identity.endpoints.every((e: { url: string }) => e.url === sim.keystoneUrl)).toBe(true);
  });

  it('expires_at is issued_at plus tokenTtlMs', async () => {
    const { body } = await call('POST', tokens(), { body: passwordAuth(sim) });
    const lifetime = Date.parse(body.token.expires_at) - Date.parse(body.token.issued_at);
    expect(lifetime).toBe(60_000);
  });

  it('accepts a user by id and a project by id', async () => {
    const c = sim.credentials;
    const reply = await call('POST', tokens(), {
      body: password({ id: c.userId, password: c.password }, { project: { id: c.projectId } }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.token.project.id).toBe(c.projectId);
  });

  it('accepts the domain by id', async () => {
    const c = sim.credentials;
    const reply = await call('POST', tokens(), {
      body: password(
        { name: c.username, domain: { id: 'default' }, password: c.password },
        { project: { name: c.projectName, domain: { id: 'default' } } },
      ),
    });
    expect(reply.status).toBe(201);
  });

  it('scopes an unscoped password request to the default project', async () => {
    const c = sim.credentials;
    const reply = await call('POST', tokens(), { body: password({ id: c.userId, password: c.password }) });
    expect(reply.body.token.project.id).toBe(c.projectId);
  });

  it('authenticates an application credential by id and by name + user, scoped to its project', async () => {
    const app = sim.credentials.applicationCredential;
    expect(app).toBeDefined();
    if (!app) return;
    const byId = await call('POST', tokens(), {
      body: {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { id: app.id, secret: app.secret },
          },
        },
      },
    });
    expect(byId.status).toBe(201);
    expect(byId.body).toEqual(keystoneTokenShape);
    expect(byId.body.token.methods).toEqual(['application_credential']);
    expect(byId.body.token.application_credential).toMatchObject({ id: app.id, name: app.name });
    const byName = await call('POST', tokens(), {
      body: {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: {
              name: app.name,
              secret: app.secret,
              user: { name: sim.credentials.username, domain: { name: 'Default' } },
            },
          },
        },
      },
    });
    expect(byName.status).toBe(201);
    expect(byName.body.token.project.id).toBe(sim.credentials.projectId);
  });

  it('rescopes with the token method, keeping the expiry', async () => {
    const first = await login(sim);
    const reply = await call('POST', tokens(), {
      body: { auth: { identity: { methods: ['token'], token: { id: first.token } } } },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.token.methods).toEqual(['password', 'token']);
    expect(reply.body.token.expires_at).toBe(first.tokenBody.token.expires_at);
  });

  it.each([
    ['a wrong password', password({ name: 'demo', domain: { name: 'Default' }, password: 'nope' })],
    ['an unknown user', password({ name: 'ghost', domain: { name: 'Default' }, password: 'x' })],
    ['an unknown domain', password({ name: 'demo', domain: { name: 'Other' }, password: 'secret-password' })],
    [
      'a project the user cannot access',
      password(
        { name: 'demo', domain: { name: 'Default' }, password: 'secret-password' },
        { project: { id: 'f'.repeat(32) } },
      ),
    ],
    [
      'a wrong application credential secret',
      {
        auth: {
          identity: { methods: ['application_credential'], application_credential: { id: 'x', secret: 'y' } },
        },
      },
    ],
  ])('401 with the documented body for %s', async (_name, body) => {
    const reply = await call('POST', tokens(), { body });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(KEYSTONE_401);
    expect(reply.headers.get('x-subject-token')).toBeNull();
    expect(reply.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.keystoneUrl}"`);
  });

  it('400 for malformed JSON and for a body without auth', async () => {
    const malformed = await call('POST', tokens(), {
      raw: '{"auth": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
    const empty = await call('POST', tokens(), { body: { auth: {} } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^'identity' is a required property/);
  });
});

describe('GET / HEAD / DELETE /v3/auth/tokens', () => {
  it('validates a token (200 with the same body shape)', async () => {
    const s = await login(sim);
    const reply = await call('GET', tokens(), { token: s.token, headers: { 'x-subject-token': s.token } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(keystoneTokenShape);
    expect(reply.body).toEqual(s.tokenBody);
    expect(reply.headers.get('x-subject-token')).toBe(s.token);
    const head = await fetch(tokens(), {
      method: 'HEAD',
      headers: { 'x-auth-token': s.token, 'x-subject-token': s.token },
    });
    expect(head.status).toBe(200);
  });

  it('omits the catalog with ?nocatalog', async () => {
    const s = await login(sim);
    const reply = await call('GET', `${tokens()}?nocatalog`, {
      token: s.token,
      headers: { 'x-subject-token': s.token },
    });
    expect(reply.body.token.catalog).toBeUndefined();
  });

  it('401 without X-Auth-Token, 404 for an unknown subject', async () => {
    const s = await login(sim);
    expect((await call('GET', tokens(), { headers: { 'x-subject-token': s.token } })).body).toEqual(
      KEYSTONE_401,
    );
    const missing = await call('GET', tokens(), {
      token: s.token,
      headers: { 'x-subject-token': 'gAAAAAnope' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 404, message: 'Failed to validate token', title: 'Not Found' },
    });
    const garbage = await call('GET', tokens(), {
      token: s.token,
      headers: { 'x-subject-token': 'not-a-token' },
    });
    expect(garbage.body.error.message).toBe('Could not recognize Fernet token');
  });

  it('DELETE revokes: the token no longer validates nor opens Nova', async () => {
    const s = await login(sim);
    const del = await call('DELETE', tokens(), { token: s.token, headers: { 'x-subject-token': s.token } });
    expect(del.status).toBe(204);
    const nova = await call('GET', `${s.url('compute')}/servers`, { token: s.token });
    expect(nova.status).toBe(401);
    expect(nova.body).toEqual(KEYSTONE_401);
    expect(nova.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.keystoneUrl}"`);
    const other = await login(sim);
    const again = await call('DELETE', tokens(), {
      token: other.token,
      headers: { 'x-subject-token': s.token },
    });
    expect(again.status).toBe(404);
  });
});

describe('token lifetime', () => {
  it('an expired token is refused with 401', async () => {
    let clock = Date.now();
    const short = await startCloudSim({ tokenTtlMs: 1000, now: () => clock });
    try {
      const s = await login(short);
      clock += 999;
      expect((await call('GET', `${s.url('compute')}/servers`, { token: s.token })).status).toBe(200);
      clock += 1;
      expect((await call('GET', `${s.url('compute')}/servers`, { token: s.token })).status).toBe(401);
    } finally {
      await short.stop();
    }
  });

  it('GET /v3 returns the version document', async () => {
    const reply = await call('GET', sim.keystoneUrl);
    expect(reply.body.version).toMatchObject({ id: expect.stringMatching(/^v3\./), status: 'stable' });
  });
});

describe('identity options', () => {
  it('uses the users, projects and application credentials given', async () => {
    const custom = await startCloudSim({
      identity: {
        domains: [
          { id: 'default', name: 'Default' },
          { id: 'd2', name: 'Ops' },
        ],
        projects: [{ name: 'sg', domain: 'Ops' }, { name: 'other' }],
        users: [
          { name: 'arbitrator', password: 'pw', domain: 'Ops', defaultProject: 'sg', projects: ['sg'] },
        ],
        applicationCredentials: [{ name: 'ac', secret: 's', user: 'arbitrator', project: 'sg' }],
      },
    });
    try {
      expect(custom.credentials).toMatchObject({
        username: 'arbitrator',
        userDomainName: 'Ops',
        projectName: 'sg',
      });
      const s = await login(custom);
      expect(s.tokenBody.token.project.domain).toEqual({ id: 'd2', name: 'Ops' });
      const denied = await call('POST', `${custom.keystoneUrl}/auth/tokens`, {
        body: password(
          { name: 'arbitrator', domain: { id: 'd2' }, password: 'pw' },
          { project: { name: 'other', domain: { id: 'default' } } },
        ),
      });
      expect(denied.status).toBe(401);
    } finally {
      await custom.stop();
    }
  });
});
