// The workloads of bench/openstack.mjs, each run in its own process.
import http from 'node:http';
// Only the credentials module: the measured processes must not load the emulator itself.
import { passwordAuthOf } from '../packages/cloud-sim/dist/credentials.js';
import { createDriver } from '../packages/core/dist/index.js';
import { openstackDriver } from '../packages/driver-openstack/dist/index.js';
import { createNodeHttpTransport, RAW_EXCHANGE } from '../packages/driver-openstack/dist/layers.js';
import { sequential, throughput } from './lib/cycle-measure.mjs';
import { pkgcloudCycle } from './lib/pkgcloud-cycle.mjs';
import { createUndiciTransport } from './lib/undici-transport.mjs';

export const WAIT = { initialDelayMs: 1, maxDelayMs: 1, multiplier: 1, jitter: 0, timeoutMs: 60_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * What the broker sends with, counted: `fetch` is the broker's default (its fetch service,
 * here the global fetch); `node-http` is the driver's own transport plugged into the fetch
 * service, its raw exchange counted as well, since the driver sends through that; `undici` is
 * the global fetch on an undici Agent, the alternative to node-http measured in (c).
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
  if (transport === 'undici') {
    // The global fetch on an undici Agent of its own (bench/lib/undici-transport.mjs), measured in (c).
    const u = createUndiciTransport();
    const fetchFn = (input, init) => {
      counter.n++;
      return u.fetch(input, init);
    };
    return { counter, fetchFn, close: () => u.close() };
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
  return { counter, fetchFn, close: () => t.close() };
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
    const t = countingTransport(input.transport);
    const driver = brokerDriver(input, t.fetchFn);
    try {
      return await throughput(input, (s, v) => brokerCycle(driver, s, v));
    } finally {
      await driver.close?.();
      await t.close?.();
    }
  }
  if (input.workload === 'broker-sequential') {
    // Sequential cycles, one at a time: the time of a cycle as a lone caller sees it.
    const t = countingTransport(input.transport);
    const driver = brokerDriver(input, t.fetchFn);
    try {
      return await sequential(input, (s, v) => brokerCycle(driver, s, v));
    } finally {
      await driver.close?.();
      await t.close?.();
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
