// Cascading discovery cost for 10, 100 and 500 regions once the token is in hand: reading the
// catalog into the region table (what happens on every new token) and building every region's
// driver (what the first call to each region does), plus the heap both retain. Prints a table with
// the ratio of each size to the 10-region run; linear means time/region stays flat.
// Target: discovery of 500 regions under 50 ms. Build first:
//   pnpm exec tsc -b packages/driver-cascading packages/cloud-sim && node bench/cascading.mjs
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// Retained memory needs a forced GC; re-run this file with --expose-gc when it is not on.
if (typeof globalThis.gc !== 'function') {
  const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

const { passwordAuthOf, startCloudSim } = await import('../packages/cloud-sim/dist/index.js');
// systemClock is driver-kit's now (core's index no longer exports it).
const { systemClock } = await import('../packages/core/dist/driver-kit.js');
const { keystoneAuthConfigSchema } = await import('../packages/driver-openstack/dist/index.js');
const { createHttpClient, createKeystoneAuth, createRegionDriver } = await import(
  '../packages/driver-openstack/dist/layers.js'
);
const { RegionDirectory, compileRegionFilter } = await import('../packages/driver-cascading/dist/index.js');

const SIZES = [10, 100, 500];
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
// Enough unmeasured runs that every size is timed with optimized code, not the first size with cold code.
const WARMUP = 30;
// Copies held at once for the memory figure, so GC noise is divided down.
const COPIES = 20;
const TARGET_MS = 50;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function measure(count) {
  const sim = await startCloudSim({ regions: count, seed: 1 });
  try {
    const c = sim.credentials;
    const runtime = { fetch: globalThis.fetch, clock: systemClock, requestTimeoutMs: 30_000 };
    const settings = {
      auth: keystoneAuthConfigSchema.parse(passwordAuthOf(c)),
      tokenRenewBeforeMs: 120_000,
    };
    const auth = createKeystoneAuth(settings, runtime);
    const tokenStarted = performance.now();
    const token = await auth.token();
    const tokenMs = performance.now() - tokenStarted;
    const http = createHttpClient(runtime, auth);
    const directoryOf = () =>
      new RegionDirectory({
        auth,
        discovery: { interfaces: ['public'], filter: compileRegionFilter({}) },
        createDriver: (region) =>
          createRegionDriver({
            auth,
            http,
            runtime,
            region,
            interfaces: ['public'],
            novaMicroversion: '2.1',
            lookupTtlMs: 300_000,
          }),
      });
    const names = c.regions;
    const discovery = [];
    const drivers = [];
    for (let i = 0; i < ITERATIONS + WARMUP; i++) {
      const directory = directoryOf();
      const started = performance.now();
      await directory.table();
      const discovered = performance.now();
      for (const name of names) await directory.handle(name, ['compute', 'volume'], 'region');
      const built = performance.now();
      if (i >= WARMUP) {
        discovery.push(discovered - started);
        drivers.push(built - discovered);
      }
    }
    const before = heapAfterGc();
    const held = [];
    for (let i = 0; i < COPIES; i++) {
      const directory = directoryOf();
      await directory.table();
      for (const name of names) await directory.handle(name, ['compute', 'volume'], 'region');
      held.push(directory);
    }
    const retained = (heapAfterGc() - before) / COPIES;
    if ((await held[0].table()).regions.size !== count) throw new Error(`expected ${count} regions`);
    return {
      count,
      endpoints: token.catalog.reduce((n, s) => n + s.endpoints.length, 0),
      tokenMs,
      discoveryMs: median(discovery),
      driversMs: median(drivers),
      retainedKiB: retained / 1024,
    };
  } finally {
    await sim.stop();
  }
}

const rows = [];
for (const size of SIZES) rows.push(await measure(size));
const base = rows[0];
const fmt = (n, digits = 2) => n.toFixed(digits);
console.log(
  `cascading discovery, median of ${ITERATIONS} runs after ${WARMUP} warm-up, memory as the mean of ${COPIES} held copies, Node ${process.version}`,
);
console.log(
  'regions | endpoints | token ms | discovery ms | µs/region | x vs 10 (time / regions) | drivers ms | retained KiB | KiB/region',
);
for (const r of rows) {
  const timeRatio = r.discoveryMs / base.discoveryMs;
  const sizeRatio = r.count / base.count;
  console.log(
    [
      String(r.count).padStart(7),
      String(r.endpoints).padStart(9),
      fmt(r.tokenMs, 1).padStart(8),
      fmt(r.discoveryMs, 3).padStart(12),
      fmt((r.discoveryMs * 1000) / r.count, 1).padStart(9),
      `${fmt(timeRatio, 1)} / ${fmt(sizeRatio, 0)}`.padStart(24),
      fmt(r.driversMs, 2).padStart(10),
      fmt(r.retainedKiB, 0).padStart(12),
      fmt(r.retainedKiB / r.count, 2).padStart(10),
    ].join(' | '),
  );
}
const largest = rows[rows.length - 1];
const ok = largest.discoveryMs < TARGET_MS;
console.log(
  `${largest.count} regions: discovery ${fmt(largest.discoveryMs, 3)} ms (target < ${TARGET_MS} ms): ${ok ? 'met' : 'MISSED'}`,
);
process.exitCode = ok ? 0 : 1;
