// Cold import of core + one driver in a fresh `node`: how long it takes, and whether the
// cloud SDK was loaded (it must not be, until a platform of that driver is used).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOOKS = new URL('./import-hooks.mjs', import.meta.url).href;

/** The child's script: time the imports, then (probe run) list SDK modules, then load the SDK on purpose as a control. */
const script = (pkg, sdk, probe) => `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const urls = [];
if (${probe}) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => urls.push(url));
  port1.unref();
  register(${JSON.stringify(HOOKS)}, import.meta.url, { data: { port: port2 }, transferList: [port2] });
}
const require = createRequire(${JSON.stringify(`${ROOT}package.json`)});
const sdkSeen = () => ${sdk ? `[...urls, ...Object.keys(require.cache)].filter((u) => u.includes(${JSON.stringify(sdk)})).length` : '0'};
const t0 = performance.now();
await import('@hybrid-broker/core');
const t1 = performance.now();
await import('${pkg}');
const t2 = performance.now();
await new Promise((r) => setTimeout(r, 50));
const before = sdkSeen();
const driverRequire = createRequire(require.resolve('${pkg}/package.json'));
const t3 = performance.now();
${sdk ? `await import(driverRequire.resolve(${JSON.stringify(sdk)}));` : ''}
const t4 = performance.now();
await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ coreMs: t1 - t0, driverMs: t2 - t1, sdkModulesAtImport: before, sdkMs: t4 - t3, sdkModulesAfterControl: sdkSeen(), rssMB: process.memoryUsage().rss / 2 ** 20 }));
`;

function runChild(source) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', source],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
      },
    );
  });
}

/**
 * Measures `pkg`'s cold import (median of `runs` fresh processes) and, in a
 * probe run with module hooks, whether `sdk` (a package name) was loaded by it.
 * The probe then imports the SDK itself: seeing it then proves the probe sees SDKs.
 */
export async function coldImport(pkg, sdk, runs = 5) {
  const timings = [];
  for (let i = 0; i < runs; i++) timings.push(await runChild(script(pkg, sdk, false)));
  const probe = await runChild(script(pkg, sdk, true));
  const median = (key) => timings.map((t) => t[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return {
    pkg,
    sdk,
    coreMs: median('coreMs'),
    driverMs: median('driverMs'),
    sdkMs: median('sdkMs'),
    rssMB: median('rssMB'),
    sdkLoadedAtImport: probe.sdkModulesAtImport > 0,
    probeSeesSdk: probe.sdkModulesAfterControl > 0,
  };
}
