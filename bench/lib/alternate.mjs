// The per-call benches time the broker against the same calls written by hand, iteration by
// iteration, on a fresh resource each time, in alternating order so neither side always runs on
// the warmer process.
import { performance } from 'node:perf_hooks';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** All requests of a sim's counts (route -> count). */
export const totalRequests = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Runs `broker(resource)` and `direct(resource)` `iterations` times each, alternated, counting
 * the sim's requests per run with each of `tallies` (name -> counts -> number).
 * Returns the medians `b` and `d` (ms), each tally's totals per side, and the first
 * iteration's counts per side (`perRoute`).
 */
export async function alternate({
  iterations,
  sim,
  fresh,
  broker,
  direct,
  tallies = { requests: totalRequests },
}) {
  const times = { broker: [], direct: [] };
  const sums = Object.fromEntries(Object.keys(tallies).map((name) => [name, { broker: 0, direct: 0 }]));
  const perRoute = { broker: {}, direct: {} };
  for (let i = 0; i < iterations; i++) {
    const sides = [
      ['broker', broker],
      ['direct', direct],
    ];
    for (const [side, run] of i % 2 === 0 ? sides : sides.reverse()) {
      const resource = fresh();
      sim.resetCounts();
      const started = performance.now();
      await run(resource);
      times[side].push(performance.now() - started);
      const counts = sim.counts();
      for (const [name, tally] of Object.entries(tallies)) sums[name][side] += tally(counts);
      if (i === 0) perRoute[side] = counts;
    }
  }
  return { b: median(times.broker), d: median(times.direct), ...sums, perRoute };
}
