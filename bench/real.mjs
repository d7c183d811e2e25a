// `pnpm bench:real`: hybrid-broker against the floor (raw HTTP, 50 ms polling) and openstacksdk
// on the project's real OpenStack stack (scripts/openstack/), in one run, through one counting
// proxy; writes its section of bench/RESULTS.md. Issue 29 item 1. Starts the stack if it is not
// running and stops it afterwards (BENCH_REAL_KEEP=1 keeps it). `--lock` adds issue 29 item 4:
// concurrent attaches to one server with core's per-server lock and without it.
// Env: BENCH_REAL_CYCLES (10), BENCH_REAL_ROUNDS (3), BENCH_REAL_HA (5).
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCountingProxy } from './lib/counting-proxy.mjs';
import { brokerClient, floorClient } from './lib/real-clients.mjs';
import { makeFixtures } from './lib/real-fixtures.mjs';
import { lockSection } from './lib/real-lock.mjs';
import { renderTables, writeSection } from './lib/real-report.mjs';
import { ensureOpenstacksdk, sdkClient } from './lib/real-sdk.mjs';
import { ensureStack, openSession, stackRssMiB, stopStack } from './lib/real-stack.mjs';
import { concurrent, ha, sequential } from './lib/real-workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const t0 = Date.now();
const load0 = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');

const sdkVersion = ensureOpenstacksdk(log);
const stack = await ensureStack(log);
const { state } = stack;
log(`real: stack ready in ${(stack.startMs / 1000).toFixed(1)} s`);
const admin = await openSession(state);
const fixtures = { ...(await makeFixtures(admin, state.computeZone)), zone: state.computeZone };
const proxy = await startCountingProxy({
  identity: state.ports.keystone,
  compute: state.ports.nova,
  volume: state.ports.cinder,
  image: state.ports.glance,
  network: state.ports.neutron,
  placement: state.ports.placement,
});
const keystoneUrl = proxy.urlOf(state.keystoneUrl);
let clients = [];
let failedRun;
const sections = [];
try {
  log('real: making 5 servers and 20 volumes');
  const servers = [];
  for (let i = 0; i < 5; i++) servers.push(await fixtures.server());
  const volumes = [];
  for (let i = 0; i < 20; i++) volumes.push(await fixtures.volume());
  const pairs = volumes.map((volume, i) => ({ server: servers[i % 5], volume }));
  clients = [
    await floorClient(state, keystoneUrl, fixtures),
    brokerClient(state, keystoneUrl, fixtures),
    await sdkClient(state, keystoneUrl, fixtures),
  ];
  // Each client authenticates and discovers its endpoints before anything is counted.
  for (const c of clients) await c.warm(servers[0], volumes[0]);
  const rssMiB = await stackRssMiB(state);
  const common = { clients, proxy, admin, log };
  const sizes = {
    cycles: env('BENCH_REAL_CYCLES', 10),
    rounds: env('BENCH_REAL_ROUNDS', 3),
    ha: env('BENCH_REAL_HA', 5),
  };
  const results = {
    sequential: await sequential({ ...common, server: servers[0], volume: volumes[0], cycles: sizes.cycles }),
    concurrent: await concurrent({ ...common, pairs, rounds: sizes.rounds }),
    ha: await ha({ ...common, cycles: sizes.ha }),
  };
  const { lines, targets } = renderTables(
    results,
    clients.map((c) => c.name),
    sizes,
  );
  const errors = clients.flatMap((c) =>
    Object.entries(results).flatMap(([w, r]) => r[c.name].errors.map((e) => `${c.name} ${w}: ${e}`)),
  );
  const body = [
    '## Real OpenStack (bench/real.mjs)',
    '',
    `Written by \`pnpm bench:real\` on ${new Date().toISOString()}: the project's real stack (scripts/openstack/, Debian's OpenStack Zed, fake compute and volume drivers, so every transition is faster than on a real cloud), ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average at start ${load0}; stack ${stack.wasRunning ? 'already running' : `started in ${(stack.startMs / 1000).toFixed(0)} s`}, ${rssMiB} MiB RSS; whole run ${((Date.now() - t0) / 1000).toFixed(0)} s.`,
    `Clients, in turn (floor, broker, openstacksdk, floor, …), each through one counting proxy (bench/lib/counting-proxy.mjs), authenticated and warmed before counting: **floor**, raw HTTP (node fetch) polling Cinder (volumes) and Nova (servers) every 50 ms; **broker**, hybrid-broker's openstack driver with its defaults; **openstacksdk** ${sdkVersion} (Debian's python3-openstacksdk, /usr/bin/python3), \`attach_volume\` / \`detach_volume(wait=True)\` with a volume read before each attach, a pool of 20 threads for the concurrent workload, \`compute.create_server\` + \`wait_for_server\` and \`delete_server(wait=True)\` for HA (its \`create_server\` asks Nova for \`networks: auto\`, which this Neutron without networks cannot do). openstacksdk's times are taken inside the Python worker.`,
    process.env.BENCH_REAL_NOTE ? `Note: ${process.env.BENCH_REAL_NOTE}` : '',
    '',
    ...lines,
    ...(errors.length ? ['', 'Failed calls:', '', ...errors.map((e) => `- ${e}`)] : []),
  ];
  sections.push(body.join('\n'));
  process.stdout.write(`${body.join('\n')}\n`);
  const missed = targets.filter((t) => !t.ok);
  log(
    missed.length
      ? `real: ${missed.length} target(s) MISSED: ${missed.map((t) => t.target).join('; ')}`
      : 'real: every target met',
  );
  if (process.argv.includes('--lock')) {
    const lock = await lockSection({ state, keystoneUrl, fixtures, proxy, admin, log, servers, volumes });
    sections.push(lock);
    process.stdout.write(`\n${lock}\n`);
  }
} catch (error) {
  failedRun = error;
} finally {
  for (const c of clients) await c.close();
  await proxy.close();
  await fixtures.cleanup().catch((e) => log(`real: cleanup: ${e.message}`));
  if (!stack.wasRunning && !process.env.BENCH_REAL_KEEP) {
    log('real: stopping the stack');
    await stopStack();
  }
}
if (failedRun) throw failedRun;
await writeSection(join(here, 'RESULTS.md'), sections.join('\n\n'));
log(`real: ${((Date.now() - t0) / 1000).toFixed(0)} s; section written to bench/RESULTS.md`);
