// `pnpm soak`: 10,000 mixed operations across every driver at concurrency 64 with 10%
// of requests failing transiently (500, 503, 429, connection reset) in cloud-sim, then an
// audit of the clouds' state: no duplicate server, no volume left attaching/detaching,
// every error a BrokerError with a known code. A second phase has two brokers per cloud
// repeat each other's calls and race for volumes: no repeat returns another server, no
// volume ends on two servers. Needs a build first (`tsc -b`).
import { performance } from 'node:perf_hooks';
import { startClouds } from './clouds.mjs';
import { twoBrokerPhase } from './two-brokers.mjs';

const { BROKER_ERROR_CODES, isBrokerError } = await import(
  new URL('../../packages/core/dist/index.js', import.meta.url).href
);

const OPERATIONS = Number(process.env.SOAK_OPERATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 64);
const FAULT_RATE = Number(process.env.SOAK_FAULT_RATE ?? 0.1);
const BOUND_MS = 290_000;
const PAIR_ROUNDS = Number(process.env.SOAK_PAIR_ROUNDS ?? 25);
const wait = { initialDelayMs: 2, maxDelayMs: 20, jitter: 0.2, timeoutMs: 15_000 };

const clouds = await startClouds({ faultRate: FAULT_RATE, wait });
const stats = { ok: 0, errors: new Map(), untyped: [], perPlatform: new Map() };
let issued = 0;
let scenarios = 0;

function record(platform, outcome) {
  const mine = stats.perPlatform.get(platform) ?? { ok: 0, failed: 0 };
  stats.perPlatform.set(platform, mine);
  if (outcome === 'ok') {
    stats.ok++;
    mine.ok++;
    return;
  }
  mine.failed++;
  if (isBrokerError(outcome) && BROKER_ERROR_CODES.includes(outcome.code)) {
    stats.errors.set(outcome.code, (stats.errors.get(outcome.code) ?? 0) + 1);
  } else stats.untyped.push(`${platform}: ${String(outcome)}`);
}

/** One operation: counted, its error kept. Returns the value or undefined when it failed. */
async function op(platform, body) {
  issued++;
  try {
    const value = await body();
    record(platform.name, 'ok');
    return value ?? true;
  } catch (error) {
    record(platform.name, error);
    return undefined;
  }
}

/** The arbitrator's cycle: a server for HA, a volume attached, read, detached, the server deleted. */
async function scenario(platform, n) {
  const began = performance.now();
  try {
    await cycle(platform, n);
  } finally {
    const t = timing.get(platform.name) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += performance.now() - began;
    timing.set(platform.name, t);
  }
}
const timing = new Map();

async function cycle(platform, n) {
  const { driver } = platform;
  const key = `soak-${platform.name}-${n}`;
  const volumeId = platform.volume();
  let server = await op(platform, () =>
    driver.createServer({ name: key, ...platform.create }, { idempotencyKey: key }),
  );
  // A create that failed may still have made the server: the same key finds it, never a second one.
  server ??= await op(platform, () =>
    driver.createServer({ name: key, ...platform.create }, { idempotencyKey: key }),
  );
  if (!server) return;
  const serverId = server.id;
  await op(platform, () => driver.getServer({ serverId }));
  const attached = await op(platform, () => driver.attachVolume({ serverId, volumeId }));
  await op(platform, () => driver.getVolume({ volumeId }));
  // Detach is a no-op when nothing is attached, so it runs even after a failed attach.
  if (attached || (await op(platform, () => driver.getVolume({ volumeId })))) {
    (await op(platform, () => driver.detachVolume({ serverId, volumeId }))) ??
      (await op(platform, () => driver.detachVolume({ serverId, volumeId })));
  }
  (await op(platform, () => driver.deleteServer({ serverId }))) ??
    (await op(platform, () => driver.deleteServer({ serverId })));
}

const started = performance.now();
// Warm-up: every driver created and authenticated before the faults start.
await Promise.all(clouds.platforms.map((p) => scenario(p, scenarios++)));
clouds.injectFaults();
let nextPlatform = 0;
const workers = Array.from({ length: CONCURRENCY }, async () => {
  while (issued < OPERATIONS && performance.now() - started < BOUND_MS) {
    const platform = clouds.platforms[nextPlatform++ % clouds.platforms.length];
    await scenario(platform, scenarios++);
  }
});
await Promise.all(workers);
// Phase two, faults still on: two brokers per cloud repeat each other's calls and race.
const pairs = await twoBrokerPhase(clouds.platforms, { rounds: PAIR_ROUNDS, op });
const elapsed = performance.now() - started;
const faultsFired = clouds.faultsFired();
clouds.clearFaults();
const requests = clouds.requests();
// Let the last transitions (a few ms each in the emulations) finish before the audit.
await new Promise((resolve) => setTimeout(resolve, 200));
const audit = clouds.audit();
await clouds.stop();

const memory = process.memoryUsage();
console.log(
  `soak: ${issued} operations in ${scenarios} scenarios, concurrency ${CONCURRENCY}, ${(elapsed / 1000).toFixed(1)} s`,
);
console.log(
  `  requests ${requests}, faults injected ${faultsFired} (${((100 * faultsFired) / requests).toFixed(1)}% of requests)`,
);
console.log(
  `  operations ok ${stats.ok}, failed ${issued - stats.ok}; ${(issued / (elapsed / 1000)).toFixed(0)} ops/s`,
);
console.log(`  errors by code ${JSON.stringify(Object.fromEntries([...stats.errors].sort()))}`);
console.log(`  per platform ${JSON.stringify(Object.fromEntries(stats.perPlatform))}`);
console.log(
  `  mean scenario ms ${JSON.stringify(Object.fromEntries([...timing].map(([k, t]) => [k, Math.round(t.ms / t.n)])))}`,
);
console.log(
  `  untyped errors ${stats.untyped.length}${stats.untyped.length ? `: ${stats.untyped.slice(0, 5).join(' | ')}` : ''}`,
);
console.log(`  audit: servers ${audit.servers}, volumes ${audit.volumes}`);
console.log(
  `  audit: duplicate servers ${audit.duplicateServers.length}${audit.duplicateServers.length ? ` ${audit.duplicateServers.slice(0, 5)}` : ''}`,
);
console.log(
  `  audit: volumes left attaching/detaching ${audit.transitionalVolumes.length}${audit.transitionalVolumes.length ? ` ${audit.transitionalVolumes.slice(0, 5)}` : ''}`,
);
console.log(
  `  two brokers: ${pairs.rounds} rounds; repeated creates same server ${pairs.sameServer}, other server ${pairs.otherServer}; races with one winner ${pairs.oneWinner}, not one ${pairs.notOneWinner}; losers conflict ${pairs.loserConflict}, other ${pairs.loserOther.length}${pairs.loserOther.length ? ` (${pairs.loserOther.join(' | ')})` : ''}`,
);
console.log(
  `  audit: volumes held by two servers ${audit.doubleHeld.length}${audit.doubleHeld.length ? ` ${audit.doubleHeld.slice(0, 5)}` : ''}`,
);
console.log(
  `  peak RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB`,
);
const failed =
  issued < OPERATIONS ||
  stats.untyped.length > 0 ||
  audit.duplicateServers.length > 0 ||
  audit.transitionalVolumes.length > 0 ||
  audit.doubleHeld.length > 0 ||
  pairs.otherServer > 0;
console.log(failed ? 'soak: FAILED' : 'soak: PASSED');
process.exit(failed ? 1 : 0);
