// The workloads of bench/openstack.mjs, each run in its own process.
import http from 'node:http';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
// Only the credentials module: the measured processes must not load the emulator itself.
import { passwordAuthOf } from '../packages/cloud-sim/dist/credentials.js';
import { createDriver } from '../packages/core/dist/index.js';
import { openstackDriver } from '../packages/driver-openstack/dist/index.js';
import { createNodeHttpTransport, RAW_EXCHANGE } from '../packages/driver-openstack/dist/layers.js';

const WAIT = { initialDelayMs: 1, maxDelayMs: 1, multiplier: 1, jitter: 0, timeoutMs: 60_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * What the broker sends with, counted: `fetch` is the broker's default (its fetch service,
 * here the global fetch); `node-http` is the driver's own transport plugged into the fetch
 * service, its raw exchange counted as well, since the driver sends through that.
 */
function countingTransport(transport) {
  const counter = { n: 0 };
  if (transport === 'fetch') {
    const fetchFn = (input, init) => {
      counter.n++;
      return globalThis.fetch(input, init);
    };
    return { counter, fetchFn };
  }
  const t = createNodeHttpTransport();
  const fetchFn = Object.assign(
    (input, init) => {
      counter.n++;
      return t.fetch(input, init);
    },
    {
      [RAW_EXCHANGE]: (request) => {
        counter.n++;
        return t.exchange(request);
      },
    },
  );
  return { counter, fetchFn };
}

/** The hand-written side's HTTP: global fetch, or node:http by hand on a keep-alive agent. */
function handTransport(transport) {
  const counter = { n: 0 };
  if (transport === 'fetch') {
    return {
      counter,
      send: async (method, url, headers, body) => {
        counter.n++;
        const r = await globalThis.fetch(url, { method, headers, body });
        return { status: r.status, header: (h) => r.headers.get(h), text: await r.text() };
      },
    };
  }
  const agent = new http.Agent({ keepAlive: true });
  return {
    counter,
    send: (method, url, headers, body) =>
      new Promise((resolve, reject) => {
        counter.n++;
        const all = body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) };
        const req = http.request(url, { method, headers: all, agent }, (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode, header: (h) => res.headers[h], text }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      }),
  };
}

function brokerDriver(input, fetchFn) {
  return createDriver(
    openstackDriver,
    {
      auth: passwordAuthOf(input.credentials),
      region: 'RegionOne',
      wait: WAIT,
      // The scale block to measure (bench/openstack.mjs: the defaults, or every feature off).
      ...(input.scale ? { scale: input.scale } : {}),
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
async function handWritten(input, send) {
  const c = input.credentials;
  const auth = await send(
    'POST',
    `${c.authUrl}/auth/tokens`,
    { 'content-type': 'application/json', accept: 'application/json' },
    JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    }),
  );
  const token = auth.header('x-subject-token');
  const { catalog } = JSON.parse(auth.text).token;
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
  const json = (r) => {
    if (r.status < 200 || r.status > 299) throw new Error(`${r.status} ${r.text}`);
    return r.text ? JSON.parse(r.text) : undefined;
  };
  const getServer = async (id) => json(await send('GET', `${nova}/servers/${id}`, novaHeaders)).server;
  const getVolume = async (id) => json(await send('GET', `${cinder}/volumes/${id}`, headers)).volume;
  const poll = async (id, done) => {
    for (;;) {
      const v = await getVolume(id);
      if (/error/.test(v.status)) throw new Error(v.status);
      if (done(v)) return v;
      await sleep(WAIT.initialDelayMs);
    }
  };
  // A detach is over when Cinder lets go and Nova no longer lists the attachment (404), both
  // read on each poll, as the broker's detach wait reads them when it waits alone.
  const novaLists = async (serverId, volumeId) => {
    const r = await send('GET', `${nova}/servers/${serverId}/os-volume_attachments/${volumeId}`, novaHeaders);
    if (r.status === 404) return false;
    json(r);
    return true;
  };
  const pollDetached = async (serverId, volumeId) => {
    for (;;) {
      const [v, listed] = await Promise.all([getVolume(volumeId), novaLists(serverId, volumeId)]);
      if (/error/.test(v.status)) throw new Error(v.status);
      if (!listed && !v.attachments.some((a) => a.server_id === serverId)) return v;
      await sleep(WAIT.initialDelayMs);
    }
  };
  return async (serverId, volumeId) => {
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    const body = JSON.stringify({ volumeAttachment: { volumeId } });
    json(
      await send(
        'POST',
        `${nova}/servers/${serverId}/os-volume_attachments`,
        { ...novaHeaders, 'content-type': 'application/json' },
        body,
      ),
    );
    await poll(volumeId, (v) => v.status === 'in-use' && v.attachments.some((a) => a.server_id === serverId));
    await Promise.all([getServer(serverId), getVolume(volumeId)]);
    json(await send('DELETE', `${nova}/servers/${serverId}/os-volume_attachments/${volumeId}`, novaHeaders));
    await pollDetached(serverId, volumeId);
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
  // Warm-up: auth, catalog, then the JIT (the same number of cycles for every client measured).
  const rounds = Math.ceil(input.warmup / workers.length);
  for (let i = 0; i < rounds; i++) await Promise.all(workers.map((w) => cycle(w.serverId, w.volumeId)));
  globalThis.gc?.();
  const base = { heapUsed: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage.rss() };
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  // process.memoryUsage() costs ~0.1 ms a call: sample the two figures alone, every 10 ms.
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, v8.getHeapStatistics().used_heap_size);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  // Every worker ends before this returns, a failed one too: a worker left polling would
  // outlive the measurement (and the sim, once the parent stops it).
  const ended = await Promise.allSettled(
    workers.map(async (w) => {
      while (next++ < input.cycles) await cycle(w.serverId, w.volumeId);
    }),
  );
  const failed = ended.find((e) => e.status === 'rejected');
  if (failed) throw failed.reason;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  return {
    // Every cycle this process ran, warm-up included: the sim's request counts cover them all.
    cyclesRun: rounds * workers.length + input.cycles,
    opsPerSec: input.cycles / seconds,
    cpuMsPerCycle: (used.user + used.system) / 1000 / input.cycles,
    peakHeapDeltaMb: (peakHeap - base.heapUsed) / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
  };
}

/** Runs the workload named in `input.workload`, with the broker on `input.transport`. */
export async function runChild(input) {
  if (input.workload === 'broker-vs-hand') {
    const b = countingTransport(input.transport);
    const f = handTransport(input.transport);
    const driver = brokerDriver(input, b.fetchFn);
    try {
      return await brokerVsHand(input, driver, b, f);
    } finally {
      await driver.close?.();
    }
  }
  if (input.workload === 'hand-throughput') {
    // For scale: the same cycle hand-written, on raw node:http or on fetch (input.transport), the way a
    // script would (res.headers, string URLs).
    const hand = await handWritten(input, handTransport(input.transport ?? 'node-http').send);
    return throughput(input, hand);
  }
  if (input.workload === 'broker-throughput') {
    const driver = brokerDriver(input, countingTransport(input.transport).fetchFn);
    try {
      return await throughput(input, (s, v) => brokerCycle(driver, s, v));
    } finally {
      await driver.close?.();
    }
  }
  const { cycle, version } = pkgcloudCycle(input);
  return { ...(await throughput(input, cycle)), pkgcloudVersion: version };
}

/** (a): broker and hand-written cycles alternated in this one process. */
async function brokerVsHand(input, driver, b, f) {
  const [serverId, volumeId] = [input.servers[0], input.volumes[0]];
  const hand = await handWritten(input, f.send);
  // Warm-up, alike for both sides: the broker's token, then enough cycles for V8 to optimize
  // the hot code of each (a median over cycles still in the interpreter measures the JIT).
  for (let i = 0; i < input.warmup; i++) {
    await brokerCycle(driver, serverId, volumeId);
    await hand(serverId, volumeId);
  }
  b.counter.n = 0;
  f.counter.n = 0;
  const times = { broker: [], hand: [] };
  const cpu = { broker: [], hand: [] };
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
    times.hand.push(performance.now() - t);
    cpu.hand.push(cpuMs(process.cpuUsage(c)));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    brokerMedianMs: median(times.broker),
    handMedianMs: median(times.hand),
    brokerCpuMs: median(cpu.broker),
    handCpuMs: median(cpu.hand),
    brokerRequests: b.counter.n,
    handRequests: f.counter.n,
    cyclesRun: 2 * (input.warmup + input.cycles),
  };
}
