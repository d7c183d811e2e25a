/**
 * The azure driver's client secret, from a config file as cloud-sim writes it, signing in at
 * cloud-sim's Entra ID: neither the right secret nor a wrong one appears in the CLI's normal,
 * --verbose or --json output, whether the sign-in succeeds or Entra ID refuses it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/index.js';
import { capturedIo } from '../../packages/cli/test/support/captured-io.js';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { type EntraSim, startEntraSim } from '../../packages/cloud-sim/src/index.js';
import { runWatch } from './watch-run.js';

const RIGHT = 'canary-azure-secret-7c1e9a3b5d';
const WRONG = 'canary-azure-wrong-2f4a6c8e0b';
let arm: ArmSim;
let entra: EntraSim;
let dir: string;

beforeAll(async () => {
  [arm, entra] = await Promise.all([startArmSim(), startEntraSim({ clientSecret: RIGHT })]);
  arm.cloud.addDisk({ resourceGroup: 'sg-rg', zone: '1', name: 'vol-1' });
  dir = await mkdtemp(join(tmpdir(), 'hb-azure-secrets-'));
  await writeFile(join(dir, 'ca.pem'), entra.caPem);
  const config = (secret: string) => `platforms:
  azure:
    driver: azure
    subscriptionId: ${arm.subscriptionId}
    resourceGroup: sg-rg
    location: westeurope
    endpoint: ${arm.url}
    authorityHost: ${entra.url}
    authorityCaFile: ${join(dir, 'ca.pem')}
    credentials: { type: client-secret, tenantId: ${entra.tenantId}, clientId: ${entra.clientId}, clientSecret: ${secret} }
    retry: { maxAttempts: 1 }
`;
  await writeFile(join(dir, 'right.yaml'), config(RIGHT));
  await writeFile(join(dir, 'wrong.yaml'), config(WRONG));
});

afterAll(async () => {
  await Promise.all([arm.stop(), entra.stop()]);
  await rm(dir, { recursive: true, force: true });
});

async function outputsOf(file: string, expectedCode: (code: number) => void): Promise<string[]> {
  const outputs: string[] = [];
  for (const command of [
    ['volume', 'list', 'azure'],
    ['volume', 'get', 'azure', 'vol-1'],
  ]) {
    for (const mode of [[], ['--verbose'], ['--json']]) {
      const io = capturedIo({ cwd: dir });
      const code = await runCli([...mode, '--config', join(dir, file), ...command], io);
      expectedCode(code);
      outputs.push(`${io.out()}\n${io.err()}`);
    }
  }
  // `watch` streams until Ctrl-C: stopped after `synced` (or ending by itself on auth-failed).
  for (const mode of [[], ['--verbose'], ['--json']]) {
    const watch = ['watch', 'azure', '--volumes'];
    const run = await runWatch([...mode, '--config', join(dir, file), ...watch, '--poll-ms', '50'], {
      cwd: dir,
      stopAt: /synced/,
    });
    expectedCode(run.code);
    outputs.push(run.output);
  }
  return outputs;
}

describe('the azure client secret stays out of every CLI output mode', () => {
  it('signed in: the commands succeed and print no secret', async () => {
    const outputs = await outputsOf('right.yaml', (code) => expect(code).toBe(0));
    for (const output of outputs) expect(output).toContain('vol-1');
    for (const output of outputs) for (const canary of [RIGHT, WRONG]) expect(output).not.toContain(canary);
  });

  it('refused: auth-failed in every mode, and no secret', async () => {
    const outputs = await outputsOf('wrong.yaml', (code) => expect(code).not.toBe(0));
    for (const output of outputs) expect(output).toMatch(/auth-failed/);
    for (const output of outputs) for (const canary of [RIGHT, WRONG]) expect(output).not.toContain(canary);
  });
});
