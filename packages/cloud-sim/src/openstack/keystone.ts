import { RouteTable } from '../route-table.js';
import {
  type SimContext,
  SimError,
  type SimRequestHead,
  type SimRoute,
  type SimService,
} from '../service.js';
import { buildCatalog } from './catalog.js';
import { keystoneChallenge, keystoneStyleError, UNAUTHORIZED_MESSAGE } from './fault-body.js';
import { ROLES } from './identity.js';
import { resolveAuth } from './keystone-auth.js';
import type { OpenStackSim } from './openstack-sim.js';
import { keystoneTime } from './timestamps.js';
import type { TokenRecord } from './tokens.js';

/** The Keystone v3 identity API at `/v3`: tokens (issue, validate, revoke), catalog, version. */
export function createKeystoneService(os: OpenStackSim): SimService {
  const table = new RouteTable()
    .add('GET', '/v3', (ctx) => ({ status: 200, body: versionDocument(ctx.origin) }))
    .add('POST', '/v3/auth/tokens', (ctx) => {
      const record = os.tokens.issue(resolveAuth(ctx.json(), os.identity, os.tokens));
      return {
        status: 201,
        headers: { 'x-subject-token': record.id },
        body: tokenBody(os, record, ctx),
      };
    })
    .add('GET', '/v3/auth/tokens', (ctx) => {
      const token = subject(os, ctx);
      return { status: 200, headers: { 'x-subject-token': token.id }, body: tokenBody(os, token, ctx) };
    })
    .add('HEAD', '/v3/auth/tokens', (ctx) => {
      subject(os, ctx);
      return { status: 200 };
    })
    .add('DELETE', '/v3/auth/tokens', (ctx) => {
      os.tokens.revoke(subject(os, ctx).id);
      return { status: 204 };
    })
    .add('GET', '/v3/auth/catalog', (ctx) => {
      const token = caller(os, ctx);
      const catalog = token.project ? buildCatalog(os.regions.list(), ctx.origin, token.project.id) : [];
      return { status: 200, body: { catalog, links: { self: `${ctx.origin}/v3/auth/catalog` } } };
    })
    .add('GET', '/v3/auth/projects', (ctx) => {
      const token = caller(os, ctx);
      const projects = os.identity.projects
        .filter((p) => token.user.projectIds.has(p.id))
        .map((p) => ({ id: p.id, name: p.name, domain_id: p.domain.id, enabled: true, is_domain: false }));
      return { status: 200, body: { projects, links: { self: `${ctx.origin}/v3/auth/projects` } } };
    });
  return {
    name: 'keystone',
    match: (req: SimRequestHead): SimRoute | undefined =>
      req.path.startsWith('/v3') ? table.match(req.method, req.path) : undefined,
    formatError: keystoneStyleError,
    responseHeaders: () => ({ vary: 'X-Auth-Token' }),
    errorHeaders: keystoneChallenge,
  };
}

/** The token of the caller (`X-Auth-Token`), or 401. */
function caller(os: OpenStackSim, ctx: SimContext): TokenRecord {
  const header = ctx.headers['x-auth-token'];
  const token = os.tokens.valid(typeof header === 'string' ? header : undefined);
  if (!token) throw new SimError(401, UNAUTHORIZED_MESSAGE);
  return token;
}

/** The token named by `X-Subject-Token` (the caller must be authenticated), or 404. */
function subject(os: OpenStackSim, ctx: SimContext): TokenRecord {
  caller(os, ctx);
  const header = ctx.headers['x-subject-token'];
  const id = typeof header === 'string' ? header : '';
  const token = os.tokens.valid(id);
  if (!token) {
    throw new SimError(
      404,
      id.startsWith('gAAAAA') ? 'Failed to validate token' : 'Could not recognize Fernet token',
    );
  }
  return token;
}

/** The documented token body; `?nocatalog` leaves the catalog out. */
function tokenBody(os: OpenStackSim, t: TokenRecord, ctx: SimContext): unknown {
  const withCatalog = !ctx.query.has('nocatalog');
  // Key order and second precision as a real (Zed) Keystone emits them.
  const token: Record<string, unknown> = {
    methods: t.methods,
    user: { domain: { ...t.user.domain }, id: t.user.id, name: t.user.name, password_expires_at: null },
    audit_ids: t.auditIds,
    expires_at: keystoneTime(t.expiresAt, 'seconds'),
    issued_at: keystoneTime(t.issuedAt, 'seconds'),
  };
  if (t.project) {
    token.project = { domain: { ...t.project.domain }, id: t.project.id, name: t.project.name };
    token.is_domain = false;
    token.roles = ROLES.map((r) => ({ ...r }));
    if (withCatalog) token.catalog = buildCatalog(os.regions.list(), ctx.origin, t.project.id);
  }
  if (t.applicationCredential) {
    const { id, name } = t.applicationCredential;
    token.application_credential = { id, name, restricted: true };
  }
  return { token };
}

function versionDocument(origin: string): unknown {
  return {
    version: {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${origin}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  };
}
