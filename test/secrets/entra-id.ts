import nock from 'nock';

const LOGIN = 'https://login.microsoftonline.com';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-4333-8444-555555555555';

/**
 * Entra ID's discovery documents and token endpoint, as published, for one
 * tenant; the token endpoint hands out `accessToken` and records the client
 * secrets it was sent.
 */
export function mockEntraId(accessToken: string): { tenant: string; client: string; secrets(): string[] } {
  const secrets: string[] = [];
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
    })
    .post(`/${TENANT}/oauth2/v2.0/token`)
    .query(true)
    .reply(200, async (request: Request) => {
      const text = await request.text();
      secrets.push(new URLSearchParams(text).get('client_secret') ?? '');
      return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken };
    });
  return { tenant: TENANT, client: CLIENT, secrets: () => secrets };
}
