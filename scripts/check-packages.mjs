// `pnpm test:packages`: publint and @arethetypeswrong/cli on every package
// under packages/ (new ones are picked up by themselves), each on the tarball
// pnpm would publish. Any message from either fails the run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const out = mkdtempSync(join(tmpdir(), 'hybrid-broker-packages-'));
let failed = 0;
try {
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', name);
    const packed = execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
    const tarball = packed.trim().split('\n').at(-1) ?? '';
    for (const [tool, args] of [
      ['publint', ['--strict', tarball]],
      // cjs-resolves-to-esm: require() of ES modules is on by default from Node 22.12, the oldest engines allows (test:consumer proves it on 22 and 24).
      [
        'attw',
        [tarball, '--profile', 'node16', '--format', 'ascii', '--ignore-rules', 'cjs-resolves-to-esm'],
      ],
    ]) {
      try {
        const text = execFileSync(bin(tool), args, {
          cwd: dir,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const noisy = tool === 'publint' && !/All good!/.test(text);
        if (noisy) throw Object.assign(new Error('publint reported'), { stdout: text });
        console.log(`${name}: ${tool} clean`);
      } catch (error) {
        failed++;
        console.error(`${name}: ${tool} reported:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
