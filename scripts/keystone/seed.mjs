#!/usr/bin/env node
// Seed a real Keystone (started by start.sh) as a cascading deployment, through its own REST admin API.
//
//   node scripts/keystone/seed.mjs STATE_FILE [OUT_FILE]
//
// STATE_FILE is what start.sh wrote ({ url, dir, adminUser, adminPassword, ... }). The seed info
// (ids, names, password, application credential secret, endpoint table) goes to OUT_FILE, default
// <dir>/seed.json, and to stdout as one JSON line. Plain Node 20 ESM, global fetch, no dependencies.
//
// Layout (one region per cascaded cloud, not every region offering every service):
//   RegionOne   identity only (keystone-manage bootstrap)
//   cascaded-1  compute + volumev3
//   cascaded-2  compute + block-storage
//   cascaded-3  compute only (lacks the volume service)
// Every compute/volume endpoint exists for public, internal and admin, and carries $(project_id)s.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const statePath = process.argv[2] ?? process.env.KEYSTONE_STATE;
if (!statePath) {
  console.error('usage: seed.mjs STATE_FILE [OUT_FILE]');
  process.exit(2);
}
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const outPath = process.argv[3] ?? join(state.dir, 'seed.json');
const base = state.url.replace(/\/+$/, ''); // .../v3
// Where the seeded compute/volume endpoints point. Nothing listens on port 9 (discard) by default;
// set KEYSTONE_SEED_ENDPOINT_BASE to aim them at cloud-sim.
const endpointBase = (process.env.KEYSTONE_SEED_ENDPOINT_BASE ?? 'http://127.0.0.1:9').replace(/\/+$/, '');

const INTERFACES = ['public', 'internal', 'admin'];
const SERVICES = {
  compute: { type: 'compute', name: 'nova', path: 'compute', version: 'v2.1' },
  volumev3: { type: 'volumev3', name: 'cinderv3', path: 'volume', version: 'v3' },
  'block-storage': { type: 'block-storage', name: 'cinder', path: 'block-storage', version: 'v3' },
};
const REGIONS = {
  'cascaded-1': ['compute', 'volumev3'],
  'cascaded-2': ['compute', 'block-storage'],
  'cascaded-3': ['compute'],
};

let tokenCount = 0;
const tokenMs = [];

async function call(method, path, { token, body, expect = [200, 201, 204] } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers['x-auth-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!expect.includes(res.status)) {
    throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
  }
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function passwordToken(user, scope) {
  const t0 = performance.now();
  const res = await call('POST', '/auth/tokens', {
    body: { auth: { identity: { methods: ['password'], password: { user } }, scope } },
  });
  tokenMs.push(Math.round(performance.now() - t0));
  tokenCount++;
  const token = res.headers.get('x-subject-token');
  if (!token) throw new Error('no X-Subject-Token on POST /v3/auth/tokens');
  return { token, body: res.body };
}

const t0 = performance.now();

const admin = await passwordToken(
  { name: state.adminUser ?? 'admin', domain: { id: 'default' }, password: state.adminPassword },
  { project: { name: state.adminProject ?? 'admin', domain: { id: 'default' } } },
);
const A = { token: admin.token };

// Regions.
for (const id of Object.keys(REGIONS)) {
  await call('POST', '/regions', {
    ...A,
    body: { region: { id, description: `cascaded OpenStack ${id}` } },
  });
}

// Services (one per type; the region is on the endpoint).
const serviceIds = {};
for (const [key, s] of Object.entries(SERVICES)) {
  const res = await call('POST', '/services', {
    ...A,
    body: { service: { type: s.type, name: s.name, description: `${s.name} (${s.type})`, enabled: true } },
  });
  serviceIds[key] = res.body.service.id;
}

// Endpoints per region x service x interface, each URL carrying $(project_id)s.
const endpoints = [];
for (const [region, keys] of Object.entries(REGIONS)) {
  for (const key of keys) {
    const s = SERVICES[key];
    for (const iface of INTERFACES) {
      const url = `${endpointBase}/${s.path}/${region}/${iface}/${s.version}/$(project_id)s`;
      const res = await call('POST', '/endpoints', {
        ...A,
        body: {
          endpoint: { service_id: serviceIds[key], interface: iface, region_id: region, url, enabled: true },
        },
      });
      endpoints.push({
        id: res.body.endpoint.id,
        region,
        serviceType: s.type,
        serviceName: s.name,
        serviceId: serviceIds[key],
        interface: iface,
        url,
      });
    }
  }
}

// Domain, project, user, role assignment.
const domain = (
  await call('POST', '/domains', {
    ...A,
    body: { domain: { name: 'cascade-domain', description: 'hybrid-broker integration', enabled: true } },
  })
).body.domain;
const project = (
  await call('POST', '/projects', {
    ...A,
    body: { project: { name: 'arbitrator-project', domain_id: domain.id, enabled: true } },
  })
).body.project;
const password = process.env.KEYSTONE_SEED_PASSWORD ?? `arb-${crypto.randomUUID()}`;
const user = (
  await call('POST', '/users', {
    ...A,
    body: {
      user: {
        name: 'arbitrator',
        domain_id: domain.id,
        default_project_id: project.id,
        password,
        enabled: true,
      },
    },
  })
).body.user;
const roles = (await call('GET', '/roles?name=member', A)).body.roles;
const member = roles.find((r) => r.name === 'member');
if (!member) throw new Error('bootstrap did not create the member role');
await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`, A);

// Application credential, created with the user's own project-scoped token.
const own = await passwordToken({ id: user.id, password }, { project: { id: project.id } });
const appCred = (
  await call('POST', `/users/${user.id}/application_credentials`, {
    token: own.token,
    body: {
      application_credential: {
        name: 'arbitrator-appcred',
        description: 'hybrid-broker integration',
        unrestricted: false,
      },
    },
  })
).body.application_credential;

const seed = {
  url: base,
  keystoneUrl: base.replace(/\/v3$/, ''),
  bootstrapRegion: state.region ?? 'RegionOne',
  regions: {
    ...Object.fromEntries(Object.entries(REGIONS).map(([r, k]) => [r, k.map((x) => SERVICES[x].type)])),
  },
  services: Object.fromEntries(
    Object.entries(SERVICES).map(([k, s]) => [s.type, { id: serviceIds[k], name: s.name }]),
  ),
  endpoints,
  endpointBase,
  domain: { id: domain.id, name: domain.name },
  project: { id: project.id, name: project.name, domainId: domain.id },
  user: { id: user.id, name: user.name, domainId: domain.id, password },
  role: { id: member.id, name: member.name },
  applicationCredential: { id: appCred.id, name: appCred.name, secret: appCred.secret, userId: user.id },
  admin: {
    name: state.adminUser ?? 'admin',
    password: state.adminPassword,
    project: state.adminProject ?? 'admin',
    domainId: 'default',
  },
  timings: { seedMs: Math.round(performance.now() - t0), tokens: tokenCount, tokenMs },
};
writeFileSync(outPath, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 });
console.error(
  `keystone: seeded ${endpoints.length} endpoints in ${seed.timings.seedMs}ms (tokens: ${tokenMs.join(', ')} ms) -> ${outPath}`,
);
console.log(JSON.stringify(seed));
