// Issue 29 item 4 on the real stack: concurrent attaches to ONE server through the broker, with
// core's per-server attach lock (the default) and without it, alternating. Figures only.
import { brokerClient } from './real-clients.mjs';
import { emptyRecord, median } from './real-report.mjs';
import { concurrent } from './real-workloads.mjs';

const VOLUMES = 8;

/** Runs the comparison and returns its markdown section. */
export async function lockSection({ state, keystoneUrl, fixtures, proxy, admin, log, servers, volumes }) {
  const clients = [
    brokerClient(state, keystoneUrl, fixtures),
    brokerClient(state, keystoneUrl, fixtures, { serverLock: false }),
  ];
  try {
    for (const c of clients) await c.warm(servers[0], volumes[0]);
    const pairs = volumes.slice(0, VOLUMES).map((volume) => ({ server: servers[0], volume }));
    const rounds = Number(process.env.BENCH_REAL_LOCK_ROUNDS ?? 5);
    const out = await concurrent({ clients, proxy, admin, log, pairs, rounds });
    const s = (xs) =>
      xs.length
        ? `${(median(xs) / 1000).toFixed(2)} (${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)})`
        : 'n/a';
    const rows = clients.map((c) => {
      const r = out[c.name] ?? emptyRecord();
      const req = r.requests.length
        ? `${median(r.requests)} (${Math.min(...r.requests)}–${Math.max(...r.requests)})`
        : 'n/a';
      return `| ${c.name} | ${s(r.attachMs)} | ${s(r.detachMs)} | ${req} | ${r.failed}${r.errors.length ? `: ${r.errors[0]}` : ''} |`;
    });
    return [
      '### Per-server attach lock (issue 29 item 4, `--lock`)',
      '',
      `${VOLUMES} volumes attached to one server at once through the broker, then all detached, ${rounds} rounds alternating; "no lock" is the same driver reporting \`ordersAttachesItself\`, so core does not serialize its attaches and detaches per server.`,
      '',
      '| broker | attach all s (median, min–max) | detach all s (median, min–max) | requests / round (median, min–max) | failed |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    for (const c of clients) await c.close();
  }
}
