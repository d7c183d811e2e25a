// Raw-HTTP checks of a REAL Keystone (Zed): records the response shapes cloud-sim must match.
// No driver code here: plain fetch against the server started by global-setup.ts.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeystoneInfo, settledTokenCount } from './keystone-harness.js';

const ks: KeystoneInfo = inject('keystone');
const { seed } = ks;
const V3 = ks.url;

interface HttpResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
  body: any;
  text: string;
  ms: number;
}

async function http(
  method: string,
  path: string,
  opts: { token?: string; subject?: string; body?: unknown } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers['x-auth-token'] = opts.token;
  if (opts.subject) headers['x-subject-token'] = opts.subject;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(`${V3}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const ms = Math.round(performance.now() - t0);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text, ms };
}

const tokenMs: number[] = [];
async function issue(identity: unknown, scope?: unknown, query = ''): Promise<HttpResult> {
  const res = await http('POST', `/auth/tokens${query}`, {
    body: { auth: { identity, ...(scope ? { scope } : {}) } },
  });
  tokenMs.push(res.ms);
  return res;
}

const byIds = () =>
  issue(
    { methods: ['password'], password: { user: { id: seed.user.id, password: seed.user.password } } },
    { project: { id: seed.project.id } },
  );
const byNames = () =>
  issue(
    {
      methods: ['password'],
      password: {
        user: { name: seed.user.name, domain: { name: seed.domain.name }, password: seed.user.password },
      },
    },
    { project: { name: seed.project.name, domain: { name: seed.domain.name } } },
  );
const byAppCredId = () =>
  issue({
    methods: ['application_credential'],
    application_credential: { id: seed.applicationCredential.id, secret: seed.applicationCredential.secret },
  });

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FERNET = /^gAAAAA[A-Za-z0-9_-]+$/;
// Keystone prints microseconds, always .000000 for fernet tokens (second precision).
const KS_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/;
const UNAUTHORIZED = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

function expectCommonHeaders(res: HttpResult) {
  expect(res.headers.get('x-openstack-request-id')).toMatch(REQUEST_ID);
  expect(res.headers.get('vary')).toBe('X-Auth-Token');
}

// biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
function expectScopedTokenBody(token: any, methods: string[]) {
  expect(token.methods).toEqual(methods);
  expect(token.user).toEqual({
    domain: { id: seed.domain.id, name: seed.domain.name },
    id: seed.user.id,
    name: seed.user.name,
    password_expires_at: null,
  });
  expect(token.audit_ids).toHaveLength(1);
  expect(token.audit_ids[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(token.expires_at).toMatch(KS_TIME);
  expect(token.issued_at).toMatch(KS_TIME);
  const lifetime = Date.parse(token.expires_at) - Date.parse(token.issued_at);
  expect(lifetime).toBe(3600_000);
  expect(token.project).toEqual({
    domain: { id: seed.domain.id, name: seed.domain.name },
    id: seed.project.id,
    name: seed.project.name,
  });
  expect(token.is_domain).toBe(false);
  // bootstrap makes member imply reader, so both come back (order not stable).
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
  expect(token.roles.map((r: any) => r.name).sort()).toEqual(['member', 'reader']);
  expect(token.roles.find((r: { name: string }) => r.name === 'member').id).toBe(seed.role.id);
}

// biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
function expectSeededCatalog(catalog: any[]) {
  for (const service of catalog) {
    expect(Object.keys(service).sort()).toEqual(['endpoints', 'id', 'name', 'type']);
    for (const ep of service.endpoints) {
      // Exactly these five keys; `region` duplicates `region_id` (legacy v2 name).
      expect(Object.keys(ep).sort()).toEqual(['id', 'interface', 'region', 'region_id', 'url']);
      expect(ep.region).toBe(ep.region_id);
      expect(ep.url).not.toContain('$(');
    }
  }
  const byType = new Map(catalog.map((s) => [s.type, s]));
  expect([...byType.keys()].sort()).toEqual(['block-storage', 'compute', 'identity', 'volumev3']);
  expect(byType.get('identity').name).toBe('keystone');
  for (const [type, { id, name }] of Object.entries(seed.services)) {
    expect(byType.get(type).id).toBe(id);
    expect(byType.get(type).name).toBe(name);
  }
  // Every seeded endpoint is in the catalog with `$(project_id)s` substituted by Keystone.
  for (const e of seed.endpoints) {
    // biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
    const ep = byType.get(e.serviceType).endpoints.find((x: any) => x.id === e.id);
    expect(ep).toEqual({
      id: e.id,
      interface: e.interface,
      region_id: e.region,
      url: e.url.replace('$(project_id)s', seed.project.id),
      region: e.region,
    });
  }
  // Region -> service types offered, derived from the catalog the way discovery must.
  const offered = new Map<string, Set<string>>();
  for (const s of catalog)
    for (const ep of s.endpoints) {
      if (!offered.has(ep.region_id)) offered.set(ep.region_id, new Set());
      offered.get(ep.region_id)?.add(s.type);
    }
  expect([...(offered.get('cascaded-1') ?? [])].sort()).toEqual(['compute', 'volumev3']);
  expect([...(offered.get('cascaded-2') ?? [])].sort()).toEqual(['block-storage', 'compute']);
  expect([...(offered.get('cascaded-3') ?? [])].sort()).toEqual(['compute']);
  expect([...(offered.get(seed.bootstrapRegion) ?? [])]).toEqual(['identity']);
}

describe('real Keystone: response shapes', () => {
  let tokensBefore = 0;
  beforeAll(async () => {
    tokensBefore = await settledTokenCount(ks);
  });

  it('serves the v3 version document unauthenticated', async () => {
    const res = await http('GET', '');
    expect(res.status).toBe(200);
    expectCommonHeaders(res);
    expect(res.body).toEqual({
      version: {
        id: 'v3.14',
        status: 'stable',
        updated: '2020-04-07T00:00:00Z',
        links: [{ rel: 'self', href: `${V3}/` }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
      },
    });
  });

  it('password auth by ids: 201, X-Subject-Token, full token body with substituted catalog', async () => {
    const res = await byIds();
    expect(res.status).toBe(201);
    expectCommonHeaders(res);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-subject-token')).toMatch(FERNET);
    // Key order as Keystone emits it (cloud-sim may match it for byte-level fidelity).
    expect(Object.keys(res.body)).toEqual(['token']);
    expect(Object.keys(res.body.token)).toEqual([
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
    expect(Object.keys(res.body.token.catalog[0])).toEqual(['endpoints', 'id', 'type', 'name']);
    expect(Object.keys(res.body.token.catalog[0].endpoints[0])).toEqual([
      'id',
      'interface',
      'region_id',
      'url',
      'region',
    ]);
    expectScopedTokenBody(res.body.token, ['password']);
    expectSeededCatalog(res.body.token.catalog);
  });

  it('password auth by names + domains gives the same identity and scope', async () => {
    const res = await byNames();
    expect(res.status).toBe(201);
    expect(res.headers.get('x-subject-token')).toMatch(FERNET);
    expectScopedTokenBody(res.body.token, ['password']);
    expectSeededCatalog(res.body.token.catalog);
  });

  it('application credential auth: project-scoped without a scope block, carries application_credential', async () => {
    expect(seed.applicationCredential.secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const res = await byAppCredId();
    expect(res.status).toBe(201);
    expect(res.headers.get('x-subject-token')).toMatch(FERNET);
    expectScopedTokenBody(res.body.token, ['application_credential']);
    expect(res.body.token.application_credential).toEqual({
      id: seed.applicationCredential.id,
      name: seed.applicationCredential.name,
      restricted: true,
    });
    expectSeededCatalog(res.body.token.catalog);

    // By name needs the owning user (by id or name+domain).
    const byName = await issue({
      methods: ['application_credential'],
      application_credential: {
        name: seed.applicationCredential.name,
        user: { name: seed.user.name, domain: { name: seed.domain.name } },
        secret: seed.applicationCredential.secret,
      },
    });
    expect(byName.status).toBe(201);
    expect(byName.body.token.application_credential.id).toBe(seed.applicationCredential.id);
  });

  it('validates with GET/HEAD /v3/auth/tokens, revokes with DELETE, then 404 (401 if used as auth)', async () => {
    const subject = await byIds();
    const auth = await byAppCredId();
    const subjectToken = subject.headers.get('x-subject-token') ?? '';
    const authToken = auth.headers.get('x-subject-token') ?? '';

    const valid = await http('GET', '/auth/tokens', { token: authToken, subject: subjectToken });
    expect(valid.status).toBe(200);
    expectCommonHeaders(valid);
    expect(valid.headers.get('x-subject-token')).toBe(subjectToken);
    expect(valid.body).toEqual(subject.body);

    const head = await http('HEAD', '/auth/tokens', { token: authToken, subject: subjectToken });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');

    const noCatalog = await http('GET', '/auth/tokens?nocatalog', {
      token: authToken,
      subject: subjectToken,
    });
    expect(noCatalog.status).toBe(200);
    expect(noCatalog.body.token.catalog).toBeUndefined();
    expect(noCatalog.body.token.project.id).toBe(seed.project.id);

    // A token may validate itself (X-Auth-Token == X-Subject-Token) and revoke itself.
    const revoke = await http('DELETE', '/auth/tokens', { token: subjectToken, subject: subjectToken });
    expect(revoke.status).toBe(204);
    expect(revoke.text).toBe('');
    expect(revoke.headers.get('x-subject-token')).toBeNull();

    const after = await http('GET', '/auth/tokens', { token: authToken, subject: subjectToken });
    expect(after.status).toBe(404);
    expectCommonHeaders(after);
    expect(after.body).toEqual({
      error: { code: 404, message: 'Failed to validate token', title: 'Not Found' },
    });

    // Revoked token as the caller's own X-Auth-Token: 401 with WWW-Authenticate.
    const asAuth = await http('GET', '/regions', { token: subjectToken });
    expect(asAuth.status).toBe(401);
    expect(asAuth.body).toEqual(UNAUTHORIZED);
    expect(asAuth.headers.get('www-authenticate')).toBe(`Keystone uri="${V3}"`);

    // Revoking again: 404 too.
    const again = await http('DELETE', '/auth/tokens', { token: authToken, subject: subjectToken });
    expect(again.status).toBe(404);

    // Not a fernet token at all: 404 with a different message.
    const garbage = await http('GET', '/auth/tokens', { token: authToken, subject: 'not-a-token' });
    expect(garbage.status).toBe(404);
    expect(garbage.body).toEqual({
      error: { code: 404, message: 'Could not recognize Fernet token', title: 'Not Found' },
    });
  });

  it('wrong password and wrong secret: 401, generic body, WWW-Authenticate, no secret echoed', async () => {
    const wrong = await issue(
      { methods: ['password'], password: { user: { id: seed.user.id, password: 'wrong-Pa55word' } } },
      { project: { id: seed.project.id } },
    );
    expect(wrong.status).toBe(401);
    expectCommonHeaders(wrong);
    expect(wrong.headers.get('content-type')).toBe('application/json');
    expect(wrong.headers.get('www-authenticate')).toBe(`Keystone uri="${V3}"`);
    expect(wrong.headers.get('x-subject-token')).toBeNull();
    expect(wrong.body).toEqual(UNAUTHORIZED);
    expect(wrong.text).not.toContain('wrong-Pa55word');

    // Unknown user and bad scope look exactly the same (no user enumeration).
    const unknown = await issue({
      methods: ['password'],
      password: { user: { name: 'nobody', domain: { name: seed.domain.name }, password: 'x' } },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(UNAUTHORIZED);
    const badScope = await issue(
      { methods: ['password'], password: { user: { id: seed.user.id, password: seed.user.password } } },
      { project: { id: 'no-such-project' } },
    );
    expect(badScope.status).toBe(401);
    expect(badScope.body).toEqual(UNAUTHORIZED);

    const badSecret = await issue({
      methods: ['application_credential'],
      application_credential: { id: seed.applicationCredential.id, secret: 'wrong-secret' },
    });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toEqual(UNAUTHORIZED);
    expect(badSecret.text).not.toContain('wrong-secret');
  });

  it('a malformed auth body is a 400 with a JSON-schema message', async () => {
    const res = await http('POST', '/auth/tokens', { body: { auth: {} } });
    tokenMs.push(res.ms); // counted in the access log like any token POST
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(400);
    expect(res.body.error.title).toBe('Bad Request');
    expect(res.body.error.message).toMatch(/^'identity' is a required property/);
  });

  it('without a scope, a user with default_project_id still gets a project-scoped token', async () => {
    const res = await issue({
      methods: ['password'],
      password: { user: { id: seed.user.id, password: seed.user.password } },
    });
    expect(res.status).toBe(201);
    expect(res.body.token.project.id).toBe(seed.project.id);
    expect(res.body.token.catalog.length).toBeGreaterThan(0);
  });

  it('counts token requests from the access log (for the driver suite)', async () => {
    expect((await settledTokenCount(ks)) - tokensBefore).toBe(tokenMs.length);
    const ok = [...tokenMs].sort((a, b) => a - b);
    process.stderr.write(
      `keystone: ${tokenMs.length} token POSTs, median ${ok[Math.floor(ok.length / 2)]} ms, max ${ok.at(-1)} ms\n`,
    );
  });
});
