// The workloads of bench/real.mjs: each client in turn (ABCABC…), every call counted on the proxy
// from a reset before it to its end. A failed call is recorded, and the volumes are put back
// (detached, available) so the next client starts from the same state.
import { performance } from 'node:perf_hooks';
import { until, volumeStatus } from './real-fixtures.mjs';
import { emptyRecord } from './real-report.mjs';

/** Runs `fn` on the proxy's count: returns [ms, requests, error?]; `fn` may return its own ms. */
async function measured(proxy, fn) {
  proxy.reset();
  const t0 = performance.now();
  try {
    const own = await fn();
    return [typeof own === 'number' ? own : performance.now() - t0, proxy.count().total];
  } catch (error) {
    return [performance.now() - t0, proxy.count().total, error];
  }
}

/** Puts every volume of `pairs` back to available, detaching it straight on the stack. */
export async function restore(admin, pairs) {
  for (const { server, volume } of pairs) {
    if ((await volumeStatus(admin, volume)) === 'available') continue;
    await admin.call(
      'compute',
      'DELETE',
      `/servers/${server}/os-volume_attachments/${volume}`,
      undefined,
      [202, 404, 409],
    );
    await until(
      `volume ${volume} available`,
      async () => (await volumeStatus(admin, volume)) === 'available',
    ).catch(() => {});
  }
}

function fail(record, error, log, what) {
  record.failed++;
  record.errors.push(String(error?.message ?? error).slice(0, 200));
  log(`real: ${what} failed: ${String(error?.message ?? error).slice(0, 200)}`);
}

/** 10 (or `cycles`) attach+detach cycles of one volume on one server, per client. */
export async function sequential({ clients, proxy, admin, log, server, volume, cycles = 10 }) {
  const out = Object.fromEntries(clients.map((c) => [c.name, emptyRecord()]));
  for (let i = 0; i < cycles; i++) {
    for (const c of clients) {
      const [ms, requests, error] = await measured(proxy, () => c.seqCycle(server, volume));
      const r = out[c.name];
      if (error) {
        fail(r, error, log, `${c.name} sequential cycle ${i}`);
        await restore(admin, [{ server, volume }]);
        continue;
      }
      r.ms.push(ms);
      r.requests.push(requests);
    }
    log(
      `real: sequential ${i + 1}/${cycles}: ${clients.map((c) => `${c.name} ${Math.round(out[c.name].ms.at(-1) ?? -1)} ms`).join(', ')}`,
    );
  }
  return out;
}

/** `rounds` rounds of: every pair attached at once, then every pair detached at once, per client. */
export async function concurrent({ clients, proxy, admin, log, pairs, rounds = 3 }) {
  const out = Object.fromEntries(clients.map((c) => [c.name, emptyRecord()]));
  for (let i = 0; i < rounds; i++) {
    for (const c of clients) {
      const r = out[c.name];
      const [aMs, aReq, aErr] = await measured(proxy, () => c.attachAll(pairs));
      const [dMs, dReq, dErr] = aErr ? [0, 0] : await measured(proxy, () => c.detachAll(pairs));
      const error = aErr ?? dErr;
      if (error) {
        fail(r, error, log, `${c.name} concurrent round ${i}`);
        await restore(admin, pairs);
        continue;
      }
      r.attachMs.push(aMs);
      r.detachMs.push(dMs);
      r.ms.push(aMs + dMs);
      r.requests.push(aReq + dReq);
      log(
        `real: concurrent ${i + 1}/${rounds} ${c.name}: attach ${Math.round(aMs)} ms, detach ${Math.round(dMs)} ms, ${aReq + dReq} requests`,
      );
    }
  }
  return out;
}

/** `cycles` create+delete cycles of a server, per client. */
export async function ha({ clients, proxy, log, cycles = 5 }) {
  const out = Object.fromEntries(clients.map((c) => [c.name, emptyRecord()]));
  for (let i = 0; i < cycles; i++) {
    for (const c of clients) {
      const name = `hb-bench-ha-${c.name.replace(/\W+/g, '-')}-${i}`;
      const [ms, requests, error] = await measured(proxy, () => c.haCycle(name));
      const r = out[c.name];
      if (error) fail(r, error, log, `${c.name} HA cycle ${i}`);
      else {
        r.ms.push(ms);
        r.requests.push(requests);
      }
    }
    log(
      `real: HA ${i + 1}/${cycles}: ${clients.map((c) => `${c.name} ${Math.round(out[c.name].ms.at(-1) ?? -1)} ms`).join(', ')}`,
    );
  }
  return out;
}
