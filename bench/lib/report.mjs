// Renders the one-run report: the machine, the figures with their targets, the raw outputs.

const verdict = (ok) => (ok === undefined ? '-' : ok ? 'met' : 'MISSED');

/** Markdown of a run: `figures` rows are [figure, measured, target, met?, note]. */
export function renderReport({ machine, figures, benches, notes, totalMs, failoverTable }) {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `pnpm bench` (`bench/run.mjs`); every figure below comes from the one run recorded here.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}`,
    `- Memory: ${machine.memory}`,
    `- OS: ${machine.os}; Node ${machine.node}`,
    `- Date: ${machine.date}; load average at start ${machine.loadavg}`,
    `- Whole run: ${(totalMs / 1000).toFixed(1)} s`,
    '',
    '## Figures',
    '',
    '| figure | measured | target | verdict | note |',
    '|---|---|---|---|---|',
    ...figures.map(
      ([figure, measured, target, ok, note]) =>
        `| ${figure} | ${measured} | ${target} | ${verdict(ok)} | ${note ?? ''} |`,
    ),
    '',
  ];
  if (failoverTable) {
    lines.push(
      '## Failover (bench/failover.mjs)',
      '',
      "50 servers x 4 volumes against cloud-sim with its rate limits and seeded transition times: all 200 attached at once, then all detached. `off` is every `scale` feature off (the baseline), `on` the defaults. Time to notice is the broker's return minus the sim's recorded change.",
      '',
      ...failoverTable,
      '',
    );
  }
  if (notes.length > 0) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  lines.push('## Per-driver benchmark output', '');
  for (const bench of benches) {
    lines.push(
      `### ${bench.name} (exit ${bench.code}${bench.timedOut ? ', timed out' : ''}, ${(bench.ms / 1000).toFixed(1)} s)`,
      '',
      '```',
      bench.out.trim(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}
