import { createDriver, isBrokerError } from '@hybrid-broker/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { azureConfig } from './support/azure-target.js';

afterEach(() => {
  vi.doUnmock('@azure/arm-compute');
  vi.resetModules();
});

describe('azure config and loading', () => {
  it('importing the package and validating a config loads no Azure SDK; the first call does', async () => {
    const loaded: string[] = [];
    vi.resetModules();
    vi.doMock('@azure/arm-compute', async (importOriginal) => {
      loaded.push('@azure/arm-compute');
      return importOriginal();
    });
    const core = await import('@hybrid-broker/core');
    const { azureDriver } = await import('../src/index.js');
    const driver = core.createDriver(azureDriver, azureConfig({ endpoint: 'http://127.0.0.1:9' }));
    expect(loaded).toEqual([]);
    await driver.getVolume({ volumeId: 'd1' }).catch(() => undefined);
    expect(loaded).toEqual(['@azure/arm-compute']);
  });

  it.each([
    [{ subscriptionId: 42 }, 'platforms.azure.subscriptionId'],
    [{ location: '' }, 'platforms.azure.location'],
    [
      { credentials: { type: 'client-secret', tenantId: 't', clientId: 'c' } },
      'platforms.azure.credentials.clientSecret',
    ],
    [{ credentials: { type: 'password' } }, 'platforms.azure.credentials.type'],
    [{ endpoint: 'http://management.example.com' }, 'platforms.azure.endpoint'],
    [{ pollIntervalMs: -1 }, 'platforms.azure.pollIntervalMs'],
  ])('%j is invalid-request naming %s', async (extra, field) => {
    const { azureDriver } = await import('../src/index.js');
    let caught: unknown;
    try {
      createDriver(azureDriver, azureConfig(extra));
    } catch (error) {
      caught = error;
    }
    expect(isBrokerError(caught, 'invalid-request')).toBe(true);
    expect((caught as { field?: string }).field).toBe(field);
  });

  it('plain http is accepted on loopback (cloud-sim) and https anywhere', async () => {
    const { azureConfigSchema } = await import('../src/index.js');
    for (const endpoint of [
      'http://127.0.0.1:4010',
      'http://localhost:4010',
      'https://management.chinacloudapi.cn',
    ]) {
      expect(azureConfigSchema.safeParse(azureConfig({ endpoint })).success).toBe(true);
    }
  });
});
