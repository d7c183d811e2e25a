import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliUsage, runCli } from '../src/cli-main.js';

// `cloud-sim --help` is an answer, not a usage error: exit 0, text on stdout.
describe('cloud-sim --help', () => {
  it('runCli answers --help with a CliUsage of exit code 0, and a bad flag with 2', async () => {
    const help = await runCli(['--help']).catch((error: unknown) => error);
    expect(help).toBeInstanceOf(CliUsage);
    expect((help as CliUsage).exitCode).toBe(0);
    expect((help as CliUsage).message).toMatch(/^usage: cloud-sim/);
    const bad = await runCli(['--port', 'x']).catch((error: unknown) => error);
    expect((bad as CliUsage).exitCode).toBe(2);
  });

  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  it.skipIf(!existsSync(cli))('dist/cli.js --help prints the usage on stdout and exits 0', () => {
    const run = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: cloud-sim/);
    expect(run.stderr).toBe('');
  });
});
