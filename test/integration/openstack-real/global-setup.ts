// vitest globalSetup: the real OpenStack for the whole suite, passed to the tests by `provide`.
// Local mode installs (as root) and starts scripts/openstack/, then stops it, unless it was already
// running (left as found) or OS_REAL_KEEP=1. Staging mode (OS_REAL_CLOUD) starts nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { type RealInfo, repoRoot, stagingInfo } from './real-cloud.js';

const run = promisify(execFile);

declare module 'vitest' {
  export interface ProvidedContext {
    openstackReal: RealInfo;
  }
}

async function script(name: string, ...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(`${repoRoot}/scripts/openstack/${name}`, args, {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 900_000,
    });
    process.stderr.write(stderr);
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    throw new Error(`scripts/openstack/${name} failed: ${e.message.split('\n')[0]}`);
  }
}

export default async function setup(project: TestProject) {
  const staging = stagingInfo(process.env);
  if (staging) {
    process.stderr.write(`openstack-real: staging cloud from clouds.yaml (nothing started)\n`);
    project.provide('openstackReal', staging);
    return;
  }
  const t0 = Date.now();
  await script('install.sh');
  const installMs = Date.now() - t0;
  const wasRunning = (await script('status.sh').catch(() => '')).trim() === 'running';
  const t1 = Date.now();
  const out = await script('start.sh');
  const startMs = Date.now() - t1;
  const state = JSON.parse(out.slice(out.indexOf('{')));
  process.stderr.write(
    `openstack-real: install ${installMs} ms, start ${startMs} ms${wasRunning ? ' (was running)' : ''}\n`,
  );
  project.provide('openstackReal', { mode: 'local', state, timings: { installMs, startMs } });
  return async () => {
    if (wasRunning || process.env.OS_REAL_KEEP) {
      process.stderr.write(
        'openstack-real: leaving the stack running (it was running before, or OS_REAL_KEEP)\n',
      );
      return;
    }
    await script('stop.sh');
  };
}
