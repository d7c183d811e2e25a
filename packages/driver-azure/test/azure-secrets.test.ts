import { createDriver, MemoryEventSink } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureDriver } from '../src/index.js';
import { azureConfig } from './support/azure-target.js';
import { ARM, FakeArm, RG, SUB } from './support/fake-arm.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-4333-8444-555555555555';
const SECRET = 'Zq8~sEcReT.vAlUe-0123456789abcdef';
const LOGIN = 'https://login.microsoftonline.com';

/** Entra ID's discovery documents, as published, for one tenant. */
function mockEntraDiscovery(): void {
  nock(LOGIN)
    .persist()
    .get(/\/discovery\/instance/)
    .query(true)
    .reply(200, {
      tenant_discovery_endpoint: `${LOGIN}/${TENANT}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'login.microsoftonline.com',
          preferred_cache: 'login.windows.net',
          aliases: ['login.microsoftonline.com', 'login.windows.net'],
        },
      ],
    })
    .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
    .query(true)
    .reply(200, {
      token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
      authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/logout`,
      issuer: `${LOGIN}/${TENANT}/v2.0`,
      jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
    });
}

function secretConfig(): Record<string, unknown> {
  return azureConfig({
    credentials: { type: 'client-secret', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
  });
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure secrets', () => {
  it('the client secret is sent only to the token endpoint; a 403 from ARM names the code but never the secret', async () => {
    mockEntraDiscovery();
    const tokenBodies: string[] = [];
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(200, async (request: Request) => {
        tokenBodies.push(await request.text());
        return {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: 'eyJ0eXAi.arm.token',
        };
      });
    const authHeaders: string[] = [];
    nock(ARM)
      .get(/\/disks\/d1$/)
      .query(true)
      .reply((request: Request) => {
        authHeaders.push(String(request.headers.get('authorization')));
        return [
          403,
          {
            error: {
              code: 'AuthorizationFailed',
              message: `The client '${CLIENT}' does not have authorization to perform action 'Microsoft.Compute/disks/read' over scope '/subscriptions/${SUB}/resourceGroups/${RG}'.`,
            },
          },
          { 'x-ms-request-id': 'req-403' },
        ];
      });
    const events = new MemoryEventSink();
    const driver = createDriver(azureDriver, secretConfig(), { services: { events } });
    const error = await driver.getVolume({ volumeId: 'd1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'forbidden',
      providerCode: 'AuthorizationFailed',
      requestId: 'req-403',
    });
    expect(tokenBodies.map((b) => new URLSearchParams(b).get('client_secret'))).toEqual([SECRET]);
    expect(authHeaders).toEqual(['Bearer eyJ0eXAi.arm.token']);
    const seen = [String((error as Error).message), JSON.stringify(error), JSON.stringify(events.events)];
    for (const text of seen) expect(text).not.toContain(SECRET);
    expect(events.ofType('request').length).toBeGreaterThan(0);
  });

  it('a token endpoint that echoes the secret in its error still leaves no secret in the error or events', async () => {
    mockEntraDiscovery();
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided: ${SECRET}`,
        error_codes: [7000215],
      });
    const events = new MemoryEventSink();
    const driver = createDriver(azureDriver, secretConfig(), { services: { events } });
    const error = await driver.getVolume({ volumeId: 'd1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-failed' });
    expect(String((error as Error).message)).toContain('AADSTS7000215');
    // Which credential fields were used, by name only.
    expect(String((error as Error).message)).toMatch(
      /\(platforms\.\S+\.credentials: type, tenantId, clientId, clientSecret \(client-secret\)\)/,
    );
    expect(String((error as Error).message)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(JSON.stringify(events.events)).not.toContain(SECRET);
  });

  it('the config holds the secret as a Secret that prints redacted', () => {
    const parsed = azureDriver.configSchema.parse(secretConfig());
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
    expect(parsed.credentials.type === 'client-secret' && parsed.credentials.clientSecret.reveal()).toBe(
      SECRET,
    );
  });

  it('the fake ARM is not needed for config errors: a bad field is invalid-request naming it, without the secret', () => {
    const fake = new FakeArm();
    expect(fake.seen).toEqual([]);
    const config = { ...secretConfig(), subscriptionId: '' };
    let caught: unknown;
    try {
      createDriver(azureDriver, config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'invalid-request', field: 'platforms.azure.subscriptionId' });
    expect(String((caught as Error).message)).not.toContain(SECRET);
  });
});
