// The tables and targets of bench/real.mjs, and its section of bench/RESULTS.md (between markers,
// kept by `pnpm bench` when it rewrites the rest of the file).
import { readFile, writeFile } from 'node:fs/promises';

export const START = '<!-- bench:real start -->';
export const END = '<!-- bench:real end -->';

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** The median of `xs` (upper middle for even lengths), NaN when empty. */
export const median = (xs) => (xs.length ? sorted(xs)[Math.floor(xs.length / 2)] : Number.NaN);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const range = (xs, digits = 0, scale = 1) =>
  xs.length
    ? `${(Math.min(...xs) / scale).toFixed(digits)}–${(Math.max(...xs) / scale).toFixed(digits)}`
    : 'n/a';
const med = (xs, digits = 0, scale = 1) => (median(xs) / scale).toFixed(digits);
const x = (a, b) => `${(a / b).toFixed(2)}x`;
const verdict = (ok) => (ok ? 'met' : '**MISSED**');

/** One client's records for a workload: `{ ms: [], requests: [], failed }`. */
export const emptyRecord = () => ({
  ms: [],
  attachMs: [],
  detachMs: [],
  requests: [],
  failed: 0,
  errors: [],
});

/** One client's row of a per-cycle table: time (median, range; ms divided by `scale`), requests, failures. */
const cycleRow = (c, r, digits = 0, scale = 1) =>
  `| ${c} | ${med(r.ms, digits, scale)} (${range(r.ms, digits, scale)}) | ${mean(r.requests).toFixed(1)} (${range(r.requests)}) | ${r.failed} |`;

/** The markdown tables and the target verdicts of a run's `results` (workload -> client -> record). */
export function renderTables(results, clientNames, sizes = { cycles: 10, rounds: 3, ha: 5 }) {
  const [floor, broker, sdk] = clientNames;
  const seq = results.sequential;
  const con = results.concurrent;
  const ha = results.ha;
  const lines = [];
  lines.push(`Sequential: ${sizes.cycles} attach+detach cycles of one volume on one server.`, '');
  lines.push(
    '| client | cycle ms (median, min–max) | requests / cycle (mean, min–max) | failed |',
    '|---|---|---|---|',
  );
  for (const c of clientNames) lines.push(cycleRow(c, seq[c]));
  lines.push(
    '',
    `Concurrent: 20 volumes onto 5 servers at once, then all detached; ${sizes.rounds} rounds a client.`,
    '',
  );
  lines.push(
    '| client | attach all s (median, min–max) | detach all s (median, min–max) | wall s (median, min–max) | requests / round (mean, min–max) | failed |',
    '|---|---|---|---|---|---|',
  );
  for (const c of clientNames) {
    const r = con[c];
    lines.push(
      `| ${c} | ${med(r.attachMs, 2, 1000)} (${range(r.attachMs, 2, 1000)}) | ${med(r.detachMs, 2, 1000)} (${range(r.detachMs, 2, 1000)}) | ${med(r.ms, 2, 1000)} (${range(r.ms, 2, 1000)}) | ${mean(r.requests).toFixed(0)} (${range(r.requests)}) | ${r.failed} |`,
    );
  }
  lines.push(
    '',
    `HA: create a server from an image and wait until ACTIVE, then delete it and wait until gone, ${sizes.ha} times.`,
    '',
  );
  lines.push(
    '| client | cycle s (median, min–max) | requests / cycle (mean, min–max) | failed |',
    '|---|---|---|---|',
  );
  for (const c of clientNames) lines.push(cycleRow(c, ha[c], 2, 1000));
  const ratio = (w, key, a, b) =>
    key === 'requests' ? x(mean(w[a].requests), mean(w[b].requests)) : x(median(w[a].ms), median(w[b].ms));
  lines.push(
    '',
    '| ratio | sequential time | sequential requests | concurrent wall | concurrent requests | HA time | HA requests |',
    '|---|---|---|---|---|---|---|',
  );
  for (const other of [floor, sdk]) {
    lines.push(
      `| ${broker} / ${other} | ${ratio(seq, 'ms', broker, other)} | ${ratio(seq, 'requests', broker, other)} | ${ratio(con, 'ms', broker, other)} | ${ratio(con, 'requests', broker, other)} | ${ratio(ha, 'ms', broker, other)} | ${ratio(ha, 'requests', broker, other)} |`,
    );
  }
  const targets = judge(results, clientNames);
  lines.push('', '| target | measured | verdict |', '|---|---|---|');
  for (const t of targets) lines.push(`| ${t.target} | ${t.measured} | ${verdict(t.ok)} |`);
  return { lines, targets };
}

/** Issue 29's targets for the real stack, each with its figure. */
function judge(results, [floor, broker, sdk]) {
  const seq = results.sequential;
  const con = results.concurrent;
  const seqRatio = median(seq[broker].ms) / median(seq[floor].ms);
  const seqReq = [mean(seq[broker].requests), mean(seq[floor].requests)];
  const others = [floor, sdk].map((c) => ({ c, med: median(con[c].ms), max: Math.max(...con[c].ms) }));
  const fastest = others.reduce((a, b) => (b.med < a.med ? b : a));
  const conMed = median(con[broker].ms);
  const conReq = [mean(con[broker].requests), mean(con[sdk].requests)];
  const failed = Object.values(results).reduce(
    (n, w) => n + Object.values(w).reduce((m, r) => m + r.failed, 0),
    0,
  );
  return [
    {
      target: 'sequential: broker ≤ 1.1x the floor in time (medians)',
      measured: `${seqRatio.toFixed(2)}x`,
      ok: seqRatio <= 1.1,
    },
    {
      target: 'sequential: broker sends no more requests than the floor',
      measured: `${seqReq[0].toFixed(1)} vs ${seqReq[1].toFixed(1)} a cycle`,
      ok: seqReq[0] <= seqReq[1],
    },
    {
      target: `concurrent: broker wall no slower than the fastest other client (${fastest.c}) within the run's spread (≤ its slowest round)`,
      measured: `${(conMed / 1000).toFixed(2)} s vs ${(fastest.med / 1000).toFixed(2)} s (its slowest ${(fastest.max / 1000).toFixed(2)} s)`,
      ok: conMed <= fastest.max,
    },
    {
      target: "concurrent: broker ≤ half of openstacksdk's requests",
      measured: `${conReq[0].toFixed(0)} vs ${conReq[1].toFixed(0)} (${(conReq[0] / conReq[1]).toFixed(2)}x)`,
      ok: conReq[0] <= conReq[1] / 2,
    },
    { target: '0 failed calls (every client)', measured: String(failed), ok: failed === 0 },
  ];
}

/** Writes `body` between the markers of bench/RESULTS.md (appended the first time). */
export async function writeSection(path, body) {
  const old = await readFile(path, 'utf8').catch(() => '');
  const section = `${START}\n${body.trim()}\n${END}`;
  const at = old.indexOf(START);
  const end = old.indexOf(END);
  const next =
    at >= 0 && end > at
      ? `${old.slice(0, at)}${section}${old.slice(end + END.length)}`
      : `${old.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
}

/** The real-bench section of an existing RESULTS.md text, to carry over a rewrite ('' if none). */
export function keptSection(text) {
  const at = text.indexOf(START);
  const end = text.indexOf(END);
  return at >= 0 && end > at ? text.slice(at, end + END.length) : '';
}
