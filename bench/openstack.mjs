// Benchmark of the OpenStack driver against cloud-sim over loopback (build first: `pnpm exec tsc -b`).
//   (a) broker vs a hand-written fetch sequence of the same requests: median cycle time ratio and request counts
//   (b) broker vs pkgcloud 2.2.0 doing the same get/attach/detach cycle: ops/s and peak memory ratios
// One cycle: read server and volume, attach (wait until in-use), detach (wait until available).
// Usage: node bench/openstack.mjs [--cycles=200] [--concurrency=8] [--runs=3]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? 'true']),
);
const CYCLES = Number(args.cycles ?? 200);
const CONCURRENCY = Number(args.concurrency ?? 8);
const RUNS = Number(args.runs ?? 3);
const self = fileURLToPath(import.meta.url);

if (args.only === 'b') args.skipA = 'true';
if (args.child) {
  const { runChild } = await import('./openstack-workloads.mjs');
  const result = await runChild(JSON.parse(process.env.BENCH_INPUT ?? '{}'));
  process.send?.(result);
  process.exit(0);
}

const { startCloudSim } = await import('../packages/cloud-sim/dist/index.js');
const sim = await startCloudSim({
  delays: {
    serverBuildMs: 0,
    serverDeleteMs: 0,
    volumeCreateMs: 0,
    volumeDeleteMs: 0,
    attachMs: 0,
    detachMs: 0,
  },
  seed: 1,
});

/** Runs one workload in a fresh Node process (so memory is its own) and returns its report with the requests it made. */
function child(workload, extra = {}) {
  const servers = Array.from({ length: Math.max(CONCURRENCY, 1) }, () => sim.openstack.createServer({}));
  const volumes = servers.map(() => sim.openstack.createVolume({}));
  const input = {
    workload,
    url: sim.url,
    credentials: sim.credentials,
    servers: servers.map((s) => s.id),
    volumes: volumes.map((v) => v.id),
    cycles: CYCLES,
    concurrency: CONCURRENCY,
    ...extra,
  };
  sim.resetCounts();
  return new Promise((resolve, reject) => {
    const proc = fork(self, ['--child'], {
      env: { ...process.env, BENCH_INPUT: JSON.stringify(input) },
      execArgv: ['--expose-gc'],
    });
    let report;
    proc.on('message', (m) => {
      report = m;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0 || !report) reject(new Error(`${workload} exited with ${code}`));
      else resolve({ ...report, counts: sim.counts() });
    });
  });
}

const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const perCycle = (counts, cycles) => {
  const out = {};
  for (const [k, v] of Object.entries(counts))
    if (!k.includes('/v3/auth/tokens')) out[k] = +(v / cycles).toFixed(2);
  return out;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

try {
  // (a) one process alternates broker and hand-written cycles, so load drift on the machine hits both alike.
  const a = await child('broker-vs-fetch');
  const ratio = a.brokerMedianMs / a.fetchMedianMs;
  console.log('(a) broker vs hand-written fetch, sequential get/attach/detach cycles');
  console.log(`    cycles each: ${CYCLES}`);
  console.log(
    `    median cycle: broker ${a.brokerMedianMs.toFixed(3)} ms, fetch ${a.fetchMedianMs.toFixed(3)} ms`,
  );
  console.log(
    `    median time ratio broker/fetch: ${ratio.toFixed(3)} (target <= 1.10) ${ratio <= 1.1 ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `    median client CPU per cycle: broker ${a.brokerCpuMs.toFixed(3)} ms, fetch ${a.fetchCpuMs.toFixed(3)} ms`,
  );
  console.log(
    `    requests: broker ${a.brokerRequests}, fetch ${a.fetchRequests} (${a.brokerRequests === a.fetchRequests ? 'equal' : 'DIFFERENT'})`,
  );
  console.log(`    per cycle (sim counts, both): ${JSON.stringify(perCycle(a.counts, CYCLES * 2))}`);

  // (b) separate processes, alternating, RUNS each; best-of reported with the median.
  const broker = [];
  const pkg = [];
  for (let i = 0; i < RUNS; i++) {
    broker.push(await child('broker-throughput'));
    pkg.push(await child('pkgcloud-throughput'));
  }
  const opsB = median(broker.map((r) => r.opsPerSec));
  const opsP = median(pkg.map((r) => r.opsPerSec));
  const memB = median(broker.map((r) => r.peakHeapDeltaMb));
  const memP = median(pkg.map((r) => r.peakHeapDeltaMb));
  const rssB = median(broker.map((r) => r.peakRssMb));
  const rssP = median(pkg.map((r) => r.peakRssMb));
  console.log(
    `(b) broker vs pkgcloud ${pkg[0].pkgcloudVersion}, ${CYCLES} cycles at concurrency ${CONCURRENCY}, median of ${RUNS} runs`,
  );
  console.log(
    `    ops/s: broker ${opsB.toFixed(1)}, pkgcloud ${opsP.toFixed(1)}; ratio ${(opsB / opsP).toFixed(2)}x (target >= 2x) ${opsB / opsP >= 2 ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `    peak heap growth: broker ${memB.toFixed(1)} MB, pkgcloud ${memP.toFixed(1)} MB; ratio pkgcloud/broker ${(memP / memB).toFixed(2)}x`,
  );
  console.log(
    `    peak RSS: broker ${rssB.toFixed(1)} MB, pkgcloud ${rssP.toFixed(1)} MB; ratio pkgcloud/broker ${(rssP / rssB).toFixed(2)}x`,
  );
  console.log(
    `    requests per cycle: broker ${(total(broker[0].counts) / CYCLES).toFixed(2)}, pkgcloud ${(total(pkg[0].counts) / CYCLES).toFixed(2)}`,
  );
} finally {
  await sim.stop();
}
