// The real OpenStack stack of bench/real.mjs: started with scripts/openstack/ (or used as found),
// and a minimal REST session on it (password token, RegionOne's catalog) that both the bench's
// own fixtures (sent straight to the services, not counted) and the raw-HTTP floor (sent through
// the counting proxy) use.
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NOVA_VERSION = '2.79';

async function script(name) {
  const { stdout } = await run(`${root}/scripts/openstack/${name}`, [], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 900_000,
  });
  return stdout;
}

/** Installs (idempotent) and starts the stack unless it runs; returns its state and whether it ran before. */
export async function ensureStack(log) {
  const t0 = Date.now();
  await script('install.sh');
  const wasRunning = (await script('status.sh').catch(() => '')).trim() === 'running';
  log(wasRunning ? 'real: the stack is running; using it' : 'real: starting the stack (about 70 s)');
  const out = await script('start.sh');
  const state = JSON.parse(out.slice(out.indexOf('{')));
  return { state, wasRunning, startMs: Date.now() - t0 };
}

/** Stops the stack (scripts/openstack/stop.sh). */
export async function stopStack() {
  await script('stop.sh');
}

/**
 * A password session on `keystoneUrl`: `call(service, method, path, body?)` with service
 * 'compute' | 'volume' | 'image' (RegionOne's public endpoints), each service sent only its own
 * microversion header (Cinder answers 400 to one naming compute).
 */
export async function openSession(state, keystoneUrl = state.keystoneUrl, fetchFn = globalThis.fetch) {
  const auth = {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: state.adminUser, domain: { id: 'default' }, password: state.adminPassword },
        },
      },
      scope: { project: { name: state.adminProject, domain: { id: 'default' } } },
    },
  };
  const r = await fetchFn(`${keystoneUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(auth),
  });
  if (r.status !== 201) throw new Error(`keystone: ${r.status}`);
  const token = r.headers.get('x-subject-token');
  const { catalog } = (await r.json()).token;
  const url = (type) =>
    catalog
      .find((s) => s.type === type)
      .endpoints.find((e) => e.interface === 'public' && e.region_id === 'RegionOne')
      .url.replace(/\/$/, '');
  const bases = { compute: url('compute'), volume: url('volumev3'), image: url('image') };
  const versions = {
    compute: {
      'OpenStack-API-Version': `compute ${NOVA_VERSION}`,
      'X-OpenStack-Nova-API-Version': NOVA_VERSION,
    },
  };
  async function call(service, method, path, body, ok = [200, 201, 202, 204]) {
    const headers = { 'X-Auth-Token': token, ...(versions[service] ?? {}) };
    if (body !== undefined && !(body instanceof Uint8Array)) headers['content-type'] = 'application/json';
    if (body instanceof Uint8Array) headers['content-type'] = 'application/octet-stream';
    const res = await fetchFn(`${bases[service]}${path}`, {
      method,
      headers,
      body: body === undefined || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!ok.includes(res.status))
      throw new Error(`${service} ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return {
      status: res.status,
      body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
    };
  }
  return { call };
}

/** Resident memory of the stack's processes and their descendants (MiB, shared pages counted each time). */
export async function stackRssMiB(state) {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids = new Set();
  for (const f of await readdir(`${state.dir}/pids`)) {
    pids.add(Number((await readFile(`${state.dir}/pids/${f}`, 'utf8')).trim()));
  }
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,rss=']);
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of rows) if (pids.has(ppid) && !pids.has(pid)) grew = pids.add(pid) && true;
  }
  return Math.round(rows.filter(([pid]) => pids.has(pid)).reduce((n, [, , rss]) => n + rss, 0) / 1024);
}
