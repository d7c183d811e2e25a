import { describe, expect, it } from 'vitest';
import { authorityOptions } from '../src/authority-options.js';
import { type AzureDriverConfig, azureConfigSchema } from '../src/azure-config.js';

function parsed(extra: Record<string, unknown>): AzureDriverConfig {
  return azureConfigSchema.parse({
    subscriptionId: 's',
    resourceGroup: 'rg',
    location: 'westeurope',
    credentials: { type: 'client-secret', tenantId: 't', clientId: 'c', clientSecret: 'x' },
    ...extra,
  });
}

// Instance discovery asks login.microsoftonline.com about the authority: never for an emulator.
describe('authority options handed to @azure/identity', () => {
  it('skips instance discovery for a loopback authority by default', async () => {
    expect(await authorityOptions(parsed({ authorityHost: 'https://127.0.0.1:8443' }))).toEqual({
      authorityHost: 'https://127.0.0.1:8443',
      disableInstanceDiscovery: true,
    });
  });

  it("keeps it for any other authority, and leaves the SDK's defaults when nothing is set", async () => {
    expect(await authorityOptions(parsed({ authorityHost: 'https://login.microsoftonline.us' }))).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
    });
    expect(await authorityOptions(parsed({}))).toEqual({});
  });

  it('follows disableInstanceDiscovery when the config sets it', async () => {
    const stack = parsed({
      authorityHost: 'https://adfs.local.azurestack.external',
      disableInstanceDiscovery: true,
    });
    expect((await authorityOptions(stack)).disableInstanceDiscovery).toBe(true);
    const loopback = parsed({ authorityHost: 'https://localhost:8443', disableInstanceDiscovery: false });
    expect((await authorityOptions(loopback)).disableInstanceDiscovery).toBeUndefined();
  });

  it('names authorityCaFile when it cannot be read', async () => {
    await expect(authorityOptions(parsed({ authorityCaFile: '/nonexistent/ca.pem' }))).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'authorityCaFile',
    });
  });
});
