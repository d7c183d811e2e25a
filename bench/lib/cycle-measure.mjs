// How bench/openstack-workloads.mjs measures a cycle function: throughput at a concurrency, or one at a time.
import v8 from 'node:v8';
/** `input.cycles` cycles over `input.concurrency` workers after the warm-up: ops/s, CPU per cycle, peak memory. */
export async function throughput(input, cycle) {
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

/** Sequential cycles after the warm-up: median cycle time and CPU per cycle. */
export async function sequential(input, cycle) {
  const [serverId, volumeId] = [input.servers[0], input.volumes[0]];
  for (let i = 0; i < input.warmup; i++) await cycle(serverId, volumeId);
  const times = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < input.cycles; i++) {
    const t = performance.now();
    await cycle(serverId, volumeId);
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return {
    medianMs: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)],
    cpuMsPerCycle: (used.user + used.system) / 1000 / input.cycles,
  };
}
