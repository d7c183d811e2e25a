// Part (c) of bench/openstack.mjs: the driver's HTTP transports head to head, in one run.
// Each run starts one process per transport, in an order that alternates from run to run,
// so load drift on this shared machine hits each transport alike.
import { median } from './alternate.mjs';

/**
 * Runs `broker-sequential` (a lone caller: median cycle time) and `broker-throughput` (at the
 * bench's concurrency: ops/s) for each of `transports`, `runs` times, and prints medians and the
 * ratio of each transport to the first one.
 */
export async function transportRatio({ child, transports, runs, cycles, latencyMs, scale }) {
  const seq = Object.fromEntries(transports.map((t) => [t, []]));
  const thr = Object.fromEntries(transports.map((t) => [t, []]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? transports : [...transports].reverse();
    for (const t of order) seq[t].push(await child('broker-sequential', { transport: t, cycles, scale }));
    for (const t of order) thr[t].push(await child('broker-throughput', { transport: t, cycles, scale }));
  }
  const med = (rs, key) => median(rs.map((r) => r[key]));
  const [base] = transports;
  console.log(
    `(c) transports head to head, ${cycles} cycles each, median of ${runs} runs, alternating, sim latency ${latencyMs} ms a request, \`scale\` off`,
  );
  for (const t of transports) {
    const ms = med(seq[t], 'medianMs');
    const ops = med(thr[t], 'opsPerSec');
    const ratioMs = med(seq[base], 'medianMs') / ms;
    const ratioOps = ops / med(thr[base], 'opsPerSec');
    console.log(`    transport ${t}:`);
    console.log(
      `      sequential: median cycle ${ms.toFixed(3)} ms, CPU ${med(seq[t], 'cpuMsPerCycle').toFixed(3)} ms a cycle; speed vs ${base} ${ratioMs.toFixed(3)}; runs ${seq[t].map((r) => r.medianMs.toFixed(2)).join('/')}`,
    );
    console.log(
      `      throughput: ${ops.toFixed(1)} ops/s, CPU ${med(thr[t], 'cpuMsPerCycle').toFixed(3)} ms a cycle; vs ${base} ${ratioOps.toFixed(3)}; runs ${thr[t].map((r) => r.opsPerSec.toFixed(0)).join('/')}`,
    );
  }
}
