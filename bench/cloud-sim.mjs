// cloud-sim start-up and throughput: how fast the OpenStack emulator starts and how many
// authenticated requests per second it serves over keep-alive loopback HTTP.
// Targets (issue 3): start < 200 ms, >= 2000 req/s. Needs a build first: `pnpm exec tsc -b`.
//
// The server runs in its own process (the `cloud-sim` CLI), the load generator here, so the
// two do not share one event loop. Besides wall-clock req/s, the server's own CPU time per
// request is read from /proc: `capacity` = requests per CPU-second of the server, a figure
// that holds even when other jobs load the machine and steal the client's or server's core.
//
// Env: BENCH_REQUESTS (4000), BENCH_CONCURRENCY (32), BENCH_STARTS (20),
//      BENCH_CLIENT = http (node:http keep-alive agent, default) | fetch (undici keep-alive).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STARTS = Number(process.env.BENCH_STARTS ?? 20);
const CLIENT = process.env.BENCH_CLIENT ?? 'http';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// --- start-up, in process --------------------------------------------------------------
const t0 = performance.now();
const { startCloudSim } = await import('../packages/cloud-sim/dist/index.js');
const importMs = performance.now() - t0;
const startMs = [];
for (let i = 0; i < STARTS; i++) {
  const t = performance.now();
  const sim = await startCloudSim({ regions: 3 });
  startMs.push(performance.now() - t);
  await sim.stop();
}

// --- throughput, server in a child process ---------------------------------------------
const cli = new URL('../packages/cloud-sim/dist/cli.js', import.meta.url).pathname;
const child = spawn(process.execPath, [cli, '--json', '--port', '0', '--regions', '3'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = JSON.parse(
  await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString()))),
);
const c = info.credentials;
const auth = await fetch(`${info.keystoneUrl}/auth/tokens`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
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
const catalog = (await auth.json()).token.catalog;
const compute = catalog
  .find((s) => s.type === 'compute')
  .endpoints.find((e) => e.interface === 'public' && e.region === 'RegionTwo').url;
const created = await fetch(`${info.url}/_sim/openstack/servers`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ region: 'RegionTwo', name: 'bench' }),
});
const url = new URL(`${compute}/servers/${(await created.json()).server.id}`);
const headers = { 'x-auth-token': token, 'openstack-api-version': 'compute 2.79' };

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const viaHttp = () =>
  new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: url.pathname, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', reject);
  });
const viaFetch = async () => {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res.status;
};
const get = CLIENT === 'fetch' ? viaFetch : viaHttp;

async function run(total) {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      if ((await get()) !== 200) failures++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - start, failures };
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const serverCpuSeconds = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime + stime
};

await run(Math.min(500, REQUESTS)); // warm-up: JIT, sockets
await fetch(`${info.url}/_sim/counts`, { method: 'DELETE' });
const cpuBefore = serverCpuSeconds();
const { ms, failures } = await run(REQUESTS);
const cpu = serverCpuSeconds() - cpuBefore;
const counts = (await (await fetch(`${info.url}/_sim/counts`)).json()).counts;
agent.destroy();
child.kill('SIGINT');

const rps = (REQUESTS / ms) * 1000;
const capacity = cpu > 0 ? REQUESTS / cpu : Number.POSITIVE_INFINITY;
const counted = counts['GET /compute/{region}/v2.1/{project}/servers/{id}'] ?? 0;
const [load1] = readFileSync('/proc/loadavg', 'utf8').split(' ');
console.log('cloud-sim bench');
console.log(
  `  import ${importMs.toFixed(1)} ms; startCloudSim (3 regions): first ${startMs[0].toFixed(1)} ms, median ${median(startMs).toFixed(2)} ms of ${STARTS}  (target < 200 ms)`,
);
console.log(
  `  GET server, authenticated, keep-alive ${CLIENT}, concurrency ${CONCURRENCY}: ${REQUESTS} in ${ms.toFixed(0)} ms`,
);
console.log(
  `  throughput ${rps.toFixed(0)} req/s (wall clock)  (target >= 2000: ${(rps / 2000).toFixed(2)}x)`,
);
console.log(
  `  server CPU ${((cpu / REQUESTS) * 1e6).toFixed(0)} us/request -> capacity ${capacity.toFixed(0)} req/s per core`,
);
console.log(`  failures ${failures}; counted by the sim ${counted}; load average ${load1} on this machine`);
const ok = startMs[0] < 200 && rps >= 2000 && failures === 0 && counted === REQUESTS;
console.log(
  ok ? '  OK: targets met' : '  MISSED: a target (see above; a loaded machine lowers wall-clock req/s)',
);
process.exitCode = ok ? 0 : 1;
