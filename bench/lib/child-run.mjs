// Runs a script in a fresh `node` and collects its output, bounded in time.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs `node <script> ...args`; resolves with its output, exit code and duration (never rejects). */
export function runNode(script, args = [], { timeoutMs = 150_000, cwd } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        out,
        code: code ?? (signal ? 128 : 1),
        timedOut: signal === 'SIGKILL',
        ms: performance.now() - started,
      });
    });
  });
}

/** Every `ratio X (target T)` a per-driver bench printed, in order. */
export function ratiosIn(text) {
  return [...text.matchAll(/ratio(?: [a-z/]+)?:?\s+([\d.]+)x?\s+\(target ([^)]+)\)/gi)].map((m) => ({
    ratio: Number(m[1]),
    target: m[2],
  }));
}
