// vitest globalSetup: one real Keystone for the whole keystone suite, passed to tests by `provide`.
import type { TestProject } from 'vitest/node';
import { type KeystoneInfo, startKeystone } from './keystone-harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    keystone: KeystoneInfo;
  }
}

export default async function setup(project: TestProject) {
  const ks = await startKeystone();
  const { stop, ...info } = ks;
  process.stderr.write(
    `keystone: ${info.url} ready (install ${info.timings.installMs} ms, start ${info.timings.startMs} ms, seed ${info.timings.seedMs} ms)\n`,
  );
  project.provide('keystone', info);
  return async () => {
    if (process.env.KEYSTONE_KEEP) {
      process.stderr.write(
        `keystone: KEYSTONE_KEEP set, leaving pid ${info.state.pid} (${info.stateFile})\n`,
      );
      return;
    }
    await stop();
  };
}
