// A vitest reporter for the real-OpenStack leg: when the run fails, it prints each failed case's
// name and error, then the last lines of every service log of the local stack, so that a failure
// in CI can be diagnosed from its output alone (issue 26: the leg once failed with no record).
// The stack's own passwords are masked in what it prints.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const TAIL_LINES = 30;

/** The state dir scripts/openstack/ports.sh uses, unless the suite points at a staging cloud. */
function stateDir(): string | undefined {
  if (process.env.OS_REAL_CLOUD) return undefined;
  const dir = process.env.OS_STATE_DIR ?? join(process.env.TMPDIR ?? '/tmp', 'hybrid-broker-openstack');
  return existsSync(dir) ? dir : undefined;
}

/** The stack's generated passwords (and the database one derived from them), to mask in log tails. */
function secretsOf(dir: string): string[] {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const service = read('service-password');
  return [read('admin-password'), service, service ? `os-${service.slice(0, 4)}` : ''].filter(
    (s) => s.length >= 4,
  );
}

function tail(file: string, secrets: readonly string[]): string {
  const lines = readFileSync(file, 'utf8').split('\n').slice(-TAIL_LINES).join('\n');
  return secrets.reduce((text, secret) => text.split(secret).join('***'), lines);
}

function logTails(): string {
  const dir = stateDir();
  if (dir === undefined) return 'no local stack state dir: no service logs to show\n';
  const logDir = join(dir, 'log');
  const secrets = secretsOf(dir);
  const files = existsSync(logDir) ? readdirSync(logDir).filter((f) => /\.(out|log)$/.test(f)) : [];
  return files
    .sort()
    .map((f) => `--- tail ${join(logDir, f)}\n${tail(join(logDir, f), secrets)}\n`)
    .join('');
}

/** Prints failed cases and the service logs' tails when the run did not pass. */
export default class FailureReport implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: ReadonlyArray<unknown>, reason: string): void {
    if (reason === 'passed' || reason === 'interrupted') return;
    const out: string[] = ['', '=== openstack-real: the run failed ==='];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'failed') continue;
        out.push(`FAILED ${module.moduleId} > ${test.fullName}`);
        for (const error of result.errors ?? []) out.push(`  ${error.message}`);
      }
    }
    out.push('=== service log tails ===', logTails());
    process.stderr.write(`${out.join('\n')}\n`);
  }
}
