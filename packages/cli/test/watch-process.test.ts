import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, startCli, workDir } from './support/cli-process.js';

// `hybrid-broker watch` as a process: SIGTERM (a service manager's stop) and SIGINT (Ctrl-C)
// both close the watch and exit 0.
let dir: Awaited<ReturnType<typeof workDir>>;

beforeAll(async () => {
  const config = `
platforms:
  lab:
    driver: memory
    availabilityZones: [az-1]
    volumes: [{ id: vol-1, availabilityZone: az-1 }]
`;
  [dir] = await Promise.all([workDir({ 'hybrid-broker.yaml': config }), buildCli(120_000)]);
}, 130_000);

afterAll(async () => {
  await dir?.remove();
});

async function stoppedBy(signal: NodeJS.Signals, globals: string[]) {
  const { child, finished } = startCli([...globals, 'watch', 'lab', '--poll-ms', '100'], { cwd: dir.path });
  let out = '';
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  const end = Date.now() + 15_000;
  while (!out.includes('synced') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  child.kill(signal);
  return finished;
}

describe('hybrid-broker watch as a process', () => {
  it.each([
    ['SIGTERM', []],
    ['SIGINT', ['--json']],
  ] as const)('%s after synced closes the watch and exits 0', async (signal, globals) => {
    const run = await stoppedBy(signal, [...globals]);
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toMatch(/added.*vol-1/);
    expect(run.stdout).toMatch(/synced/);
    expect(run.stderr).toBe('');
  });
});
