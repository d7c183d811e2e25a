// The workloads of bench/openstack.mjs, each run in its own process.
import { createRequire } from 'node:module';
import { createDriver } from '../packages/core/dist/index.js';
import { openstackDriver } from '../packages/driver-openstack/dist/index.js';

const WAIT = { initialDelayMs: 1, maxDelayMs: 1, multiplier: 1, jitter: 0, timeoutMs: 60_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function countingFetch() {
  const counter = { n: 0 };
  const fetchFn = (input, init) => {
    counter.n++;
    return globalThis.fetch(input, init);
  };
  return { counter, fetchFn };
}

function brokerDriver(input, fetchFn) {
  const c = input.credentials;
  return createDriver(
    openstackDriver,
    {
      auth: {
        method: 'password',
        url: c.authUrl,
        username: c.username,
        userDomainName: c.userDomainName,
        password: c.password,
        projectName: c.projectName,
        projectDomainName: c.projectDomainName,
      },
      region: 'RegionOne',
      wait: WAIT,
    },
    { services: { fetch: fetchFn } },
  );
}

async function brokerCycle(driver, serverId, volumeId) {
  await Promise.all([driver.getServer({ serverId }), driver.getVolume({ volumeId })]);
  await driver.attachVolume({ serverId, volumeId }, { wait: WAIT });
  await driver.detachVolume({ serverId, volumeId }, { wait: WAIT });
}

/** The same requests written by hand: one token, catalog URLs, the same polls. */
async function handWritten(input, fetchFn) {
  const c = input.credentials;
  const auth = await fetchFn(`${c.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    }),
  });
  const token = auth.headers.get('x-subject-token');
  const { catalog } = (await auth.json()).token;
  const url = (types) =>
    catalog
      .find((s) => types.includes(s.type))
      .endpoints.find((e) => e.interface === 'public' && e.region_id === 'RegionOne').url;
  const nova = url(['compute']);
  const cinder = url(['block-storage', 'volumev3', 'volumev2']);
  const novaHeaders = {
    'x-auth-token': token,
    accept: 'application/json',
    'openstack-api-version': 'compute 2.1',
    'x-openstack-nova-api-version': '2.1',
  };
  const headers = { 'x-auth-token': token, accept: 'application/json' };
  const json = async (r) => {
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    const text = await r.text();
    return text ? JSON.parse(text) : undefined;
  };
  const getServer = async (id) =>
    (await json(await fetchFn(`${nova}/servers/${id}`, { headers: novaHeaders }))).server;
  const getVolume = async (id) => (await json(await fetchFn(`${cinder}/volumes/${id}`, { headers }))).volume;
  const poll = async (id, done) => {
    for (;;) {
      const v = await getVolume(id);
      if (/error/.test(v.status)) throw new Error(v.status);
      if (done(v)) return v;
      await sleep(WAIT.initialDelayMs);
    }
  };
  return async (serverId, volumeId) => {
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    await json(
      await fetchFn(`${nova}/servers/${serverId}/os-volume_attachments`, {
        method: 'POST',
        headers: { ...novaHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ volumeAttachment: { volumeId } }),
      }),
    );
    await poll(volumeId, (v) => v.status === 'in-use' && v.attachments.some((a) => a.server_id === serverId));
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    await json(
      await fetchFn(`${nova}/servers/${serverId}/os-volume_attachments/${volumeId}`, {
        method: 'DELETE',
        headers: novaHeaders,
      }),
    );
    await poll(volumeId, (v) => !v.attachments.some((a) => a.server_id === serverId));
  };
}

/** pkgcloud's OpenStack compute and block-storage clients doing the same cycle. */
function pkgcloudCycle(input) {
  const require = createRequire(import.meta.url);
  const pkgcloud = require('pkgcloud');
  const c = input.credentials;
  const options = {
    provider: 'openstack',
    keystoneAuthVersion: 'v3',
    authUrl: c.authUrl.replace(/\/v3$/, ''),
    username: c.username,
    password: c.password,
    domainName: c.userDomainName,
    tenantName: c.projectName,
    projectDomainName: c.projectDomainName,
    region: 'RegionOne',
  };
  const compute = pkgcloud.compute.createClient(options);
  const storage = pkgcloud.blockstorage.createClient(options);
  storage.serviceType = 'volumev3'; // pkgcloud looks for the long-gone `volume` type
  const p = (fn) => new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
  const getVolume = (id) => p((cb) => storage.getVolume(id, cb));
  const poll = async (id, status) => {
    for (;;) {
      const v = await getVolume(id);
      if (/error/.test(v.status)) throw new Error(v.status);
      if (v.status === status) return v;
      await sleep(WAIT.initialDelayMs);
    }
  };
  const version = require('pkgcloud/package.json').version;
  const cycle = async (serverId, volumeId) => {
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await p((cb) => compute.attachVolume(serverId, volumeId, cb));
    await poll(volumeId, 'in-use');
    await Promise.all([p((cb) => compute.getServer(serverId, cb)), getVolume(volumeId)]);
    await p((cb) => compute.detachVolume(serverId, volumeId, cb));
    await poll(volumeId, 'available');
  };
  return { cycle, version };
}

async function throughput(input, cycle) {
  const workers = input.servers.map((serverId, i) => ({ serverId, volumeId: input.volumes[i] }));
  await Promise.all(workers.map((w) => cycle(w.serverId, w.volumeId))); // warm-up: auth, catalog, JIT
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    workers.map(async (w) => {
      while (next++ < input.cycles) await cycle(w.serverId, w.volumeId);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    opsPerSec: input.cycles / seconds,
    peakHeapDeltaMb: (peakHeap - base.heapUsed) / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
  };
}

/** Runs the workload named in `input.workload`. */
export async function runChild(input) {
  const [serverId, volumeId] = [input.servers[0], input.volumes[0]];
  if (input.workload === 'broker-vs-fetch') {
    const b = countingFetch();
    const f = countingFetch();
    const driver = brokerDriver(input, b.fetchFn);
    const hand = await handWritten(input, f.fetchFn);
    await brokerCycle(driver, serverId, volumeId); // warm-up (and the broker's token)
    await hand(serverId, volumeId);
    b.counter.n = 0;
    f.counter.n = 0;
    const times = { broker: [], fetch: [] };
    const cpu = { broker: [], fetch: [] };
    const cpuMs = (u) => (u.user + u.system) / 1000;
    for (let i = 0; i < input.cycles; i++) {
      let c = process.cpuUsage();
      let t = performance.now();
      await brokerCycle(driver, serverId, volumeId);
      times.broker.push(performance.now() - t);
      cpu.broker.push(cpuMs(process.cpuUsage(c)));
      c = process.cpuUsage();
      t = performance.now();
      await hand(serverId, volumeId);
      times.fetch.push(performance.now() - t);
      cpu.fetch.push(cpuMs(process.cpuUsage(c)));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      brokerMedianMs: median(times.broker),
      fetchMedianMs: median(times.fetch),
      brokerCpuMs: median(cpu.broker),
      fetchCpuMs: median(cpu.fetch),
      brokerRequests: b.counter.n,
      fetchRequests: f.counter.n,
    };
  }
  if (input.workload === 'broker-throughput') {
    const driver = brokerDriver(input, (i, o) => globalThis.fetch(i, o));
    return throughput(input, (s, v) => brokerCycle(driver, s, v));
  }
  const { cycle, version } = pkgcloudCycle(input);
  return { ...(await throughput(input, cycle)), pkgcloudVersion: version };
}
