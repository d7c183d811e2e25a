/**
 * `broker.close()` leaves nothing running: a program whose calls hang on a body that
 * stalls after the headers (no deadline of their own would end them for minutes) exits
 * within 1 s of close(), for every driver. Run as a subprocess, since only the process's
 * own exit shows a socket or timer left behind.
 */
import { execFile, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { type Ec2Sim, startEc2Sim } from '../../packages/cloud-sim/src/ec2/index.js';
import { type CloudSim, passwordAuthOf, startCloudSim } from '../../packages/cloud-sim/src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = join(ROOT, 'test/faults/fixtures/close-exit-child.mjs');
const STALL = {
  type: 'wire',
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"serv',
  ending: 'stall',
} as const;

function build(timeoutMs: number): Promise<void> {
  const packages = ['core', 'driver-openstack', 'driver-cascading', 'driver-aws', 'driver-azure'].map(
    (p) => `packages/${p}`,
  );
  return new Promise((done, fail) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-b', ...packages],
      { cwd: ROOT, timeout: timeoutMs },
      (error, out, err) => (error ? fail(new Error(`tsc -b failed: ${out}${err}`)) : done()),
    );
  });
}

/** Runs the child; resolves with its output and the time from "closing" to its exit. */
function runChild(
  input: unknown,
  boundMs: number,
): Promise<{ stdout: string; exitAfterCloseMs: number; code: number | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], {
      cwd: ROOT,
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    let stdout = '';
    let closingAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (closingAt === undefined && stdout.includes('closing ')) closingAt = performance.now();
    });
    child.stderr.resume();
    const kill = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(kill);
      done({
        stdout,
        code,
        exitAfterCloseMs: closingAt === undefined ? Number.NaN : performance.now() - closingAt,
      });
    });
  });
}

/** EC2's answer when it is briefly unable to serve: a 503 the SDK classifies as retryable. */
const EC2_UNAVAILABLE = {
  type: 'wire',
  status: 503,
  headers: { 'content-type': 'text/xml' },
  body: '<Response><Errors><Error><Code>Unavailable</Code><Message>The service is unavailable. Please try again shortly.</Message></Error></Errors><RequestID>close-exit</RequestID></Response>',
  ending: 'end',
} as const;
const NOVA_SERVER_ID = '2390fb4d-1693-45d7-b309-e29c4af16538';

describe('broker.close() with calls hung on a stalled body', () => {
  let os: CloudSim;
  let ec2: Ec2Sim;
  let ec2Busy: Ec2Sim;
  let arm: ArmSim;
  let renewing: CloudSim;
  beforeAll(async () => {
    await build(240_000);
    os = await startCloudSim({ regions: [{ name: 'az1' }], seed: 5 });
    ec2 = await startEc2Sim({ seed: 5 });
    // 6 s tokens: the renewal window opens 3 s after issue.
    renewing = await startCloudSim({ regions: [{ name: 'az1' }], seed: 7, tokenTtlMs: 6_000 });
    ec2Busy = await startEc2Sim({ seed: 6 });
    ec2Busy.faults.add({ path: '/DescribeInstances', action: EC2_UNAVAILABLE });
    arm = await startArmSim({ seed: 5 });
    os.faults.add({ method: 'GET', path: '/compute/**', action: STALL });
    ec2.faults.add({
      path: '/DescribeInstances',
      action: { ...STALL, headers: { 'content-type': 'text/xml' } },
    });
    arm.faults.add({ method: 'GET', path: '/subscriptions/**', action: STALL });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([os?.stop(), ec2?.stop(), ec2Busy?.stop(), arm?.stop(), renewing?.stop()]);
  });

  const cases: [string, () => unknown][] = [
    [
      'openstack',
      () => ({
        driver: 'openstack',
        config: { auth: passwordAuthOf(os.credentials), region: 'az1' },
        serverId: NOVA_SERVER_ID,
      }),
    ],
    [
      'openstack (node-http transport)',
      () => ({
        driver: 'openstack',
        config: { auth: passwordAuthOf(os.credentials), region: 'az1', transport: 'node-http' },
        serverId: NOVA_SERVER_ID,
      }),
    ],
    [
      'aws',
      () => ({
        driver: 'aws',
        config: {
          region: 'us-east-1',
          endpoint: ec2.url,
          credentials: { accessKeyId: 'AKIDCLOSE', secretAccessKey: 'close-secret' },
        },
        serverId: 'i-0123456789abcdef0',
      }),
    ],
    [
      // The SDK's own strategy slept this backoff (up to 20 s) with no signal, past close().
      'aws, during the retry backoff of a 503',
      () => ({
        driver: 'aws',
        config: {
          region: 'us-east-1',
          endpoint: ec2Busy.url,
          credentials: { accessKeyId: 'AKIDCLOSE', secretAccessKey: 'close-secret' },
          maxAttempts: 10,
          retryBaseDelayMs: 60_000,
        },
        serverId: 'i-0123456789abcdef0',
      }),
    ],
    [
      'azure',
      () => ({
        driver: 'azure',
        config: {
          subscriptionId: arm.subscriptionId,
          resourceGroup: 'sg-rg',
          location: 'westeurope',
          endpoint: arm.url,
        },
      }),
    ],
  ];
  for (const [name, input] of cases) {
    it(`${name}: the calls end aborted and the process exits within 1 s of close()`, async () => {
      const run = await runChild(input(), 20_000);
      expect(run.stdout).not.toContain('unhandled');
      expect(run.stdout).toMatch(/closed \d+ \["aborted","aborted","aborted"\]/);
      expect(run.code).toBe(0);
      expect(run.exitAfterCloseMs).toBeLessThan(1_000);
    }, 30_000);
  }

  const renewals: [string, () => unknown][] = [
    [
      'openstack',
      () => ({
        driver: 'openstack',
        config: { auth: passwordAuthOf(renewing.credentials), region: 'az1' },
        serverId: NOVA_SERVER_ID,
      }),
    ],
    [
      'cascading',
      () => ({
        driver: 'cascading',
        config: { auth: passwordAuthOf(renewing.credentials) },
        serverId: `az1:${NOVA_SERVER_ID}`,
      }),
    ],
  ];
  for (const [name, input] of renewals) {
    it(`${name}: a background Keystone renewal stalled at close() is aborted, and the process exits within 1 s`, async () => {
      renewing.faults.clear();
      // Every token request after the child's first stalls: the renewal hangs on the wire.
      renewing.faults.add({ method: 'POST', path: '/v3/auth/tokens', skip: 1, action: STALL });
      const run = await runChild({ ...(input() as object), warmUpMs: 3_300 }, 20_000);
      // The calls went on with the cached token while the renewal hung (best-effort renewal).
      expect(run.stdout).toMatch(/closed \d+ \["not-found","not-found","not-found"\]/);
      expect(renewing.faults.list()[0]?.fired).toBe(1);
      expect(run.code).toBe(0);
      expect(run.exitAfterCloseMs).toBeLessThan(1_000);
    }, 30_000);
  }
});
