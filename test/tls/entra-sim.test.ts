/**
 * The azure driver signing in with a client secret, as a config file says, to cloud-sim's Entra
 * ID: MSAL over https to 127.0.0.1, trusting the emulator's CA through `authorityCaFile`, with
 * instance discovery off for the loopback authority (it would ask login.microsoftonline.com).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSim, startArmSim } from '../../packages/cloud-sim/src/azure/index.js';
import { type EntraSim, startEntraSim } from '../../packages/cloud-sim/src/index.js';
import { BrokerError, createDriver } from '../../packages/core/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';

const RG = 'sg-rg';
let arm: ArmSim;
let entra: EntraSim;
let dir: string;
let caFile: string;

beforeAll(async () => {
  [arm, entra] = await Promise.all([startArmSim(), startEntraSim({ clientSecret: 'sim~right-secret' })]);
  arm.cloud.addDisk({ resourceGroup: RG, zone: '1', name: 'vol-1' });
  dir = await mkdtemp(join(tmpdir(), 'entra-sim-'));
  caFile = join(dir, 'entra-ca.pem');
  await writeFile(caFile, entra.caPem);
});

afterAll(async () => {
  await Promise.all([arm.stop(), entra.stop()]);
  await rm(dir, { recursive: true, force: true });
});

function config(clientSecret: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subscriptionId: arm.subscriptionId,
    resourceGroup: RG,
    location: 'westeurope',
    endpoint: arm.url,
    authorityHost: entra.url,
    authorityCaFile: caFile,
    credentials: { type: 'client-secret', tenantId: entra.tenantId, clientId: entra.clientId, clientSecret },
    retry: { maxAttempts: 1 },
    ...extra,
  };
}

async function listWith(settings: Record<string, unknown>): Promise<unknown> {
  const driver = createDriver(azureDriver, settings);
  try {
    return await driver.listVolumes({}, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return error;
  } finally {
    await driver.close?.();
  }
}

describe('client-secret sign-in against cloud-sim Entra ID', () => {
  it('gets a token over https and lists the disks with it', async () => {
    const before = entra.tokensIssued();
    const volumes = await listWith(config('sim~right-secret'));
    expect((volumes as { name: string }[]).map((v) => v.name)).toEqual(['vol-1']);
    expect(entra.tokensIssued()).toBe(before + 1);
  });

  it('reports a wrong secret as auth-failed, naming Entra ID, never the secret', async () => {
    const error = await listWith(config('sim~wrong-secret'));
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).code).toBe('auth-failed');
    expect((error as BrokerError).message).toMatch(/AADSTS7000215/);
    expect(JSON.stringify(error)).not.toContain('sim~wrong-secret');
  });

  it("refuses the emulator's certificate without authorityCaFile", async () => {
    const error = await listWith(config('sim~right-secret', { authorityCaFile: undefined }));
    expect((error as BrokerError).code).toBe('auth-failed');
  });

  it('names authorityCaFile when the file holds no certificate', async () => {
    const notPem = join(dir, 'not.pem');
    await writeFile(notPem, 'hello');
    const error = await listWith(config('sim~right-secret', { authorityCaFile: notPem }));
    expect(error).toMatchObject({ code: 'invalid-request', field: 'authorityCaFile' });
  });
});
