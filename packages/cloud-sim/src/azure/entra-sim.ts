import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readBody, splitUrl, writeJson } from '../http-io.js';
import { LOOPBACK } from '../server.js';
import { ENTRA_SIM_CA, ENTRA_SIM_CERT, ENTRA_SIM_KEY } from './entra-tls.js';

/** Options of {@link startEntraSim}. */
export interface EntraSimOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** The one tenant served; a fixed GUID by default. */
  readonly tenantId?: string;
  /** The one app registration's client id; a fixed GUID by default. */
  readonly clientId?: string;
  /** Its client secret; a random one by default (the emulator's own, written only to a config file). */
  readonly clientSecret?: string;
}

/** A running emulation of Entra ID's token endpoint (Microsoft identity platform v2.0). */
export interface EntraSim {
  /** `https://127.0.0.1:<port>`: the `authorityHost` of an azure driver config. */
  readonly url: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the CA that signed the server's certificate: what `authorityCaFile` names. */
  readonly caPem: string;
  /** Access tokens issued so far. */
  tokensIssued(): number;
  /** Stops the server; idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DEFAULT_CLIENT = '11111111-2222-4333-8444-555555555555';

/**
 * Serves the two routes `@azure/identity`'s `ClientSecretCredential` calls, over https on
 * loopback: the tenant's OpenID configuration and the client-credentials grant. A wrong tenant,
 * client or secret gets Entra ID's own error codes (AADSTS90002, 700016, 7000215).
 *
 * @example
 * const entra = await startEntraSim();
 * // azure driver config: authorityHost: entra.url, authorityCaFile: <a file holding entra.caPem>,
 * // credentials: { type: 'client-secret', tenantId: entra.tenantId, clientId: entra.clientId, clientSecret: entra.clientSecret }
 */
export async function startEntraSim(options: EntraSimOptions = {}): Promise<EntraSim> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT;
  const clientId = options.clientId ?? DEFAULT_CLIENT;
  const clientSecret = options.clientSecret ?? `sim~${randomBytes(18).toString('base64url')}`;
  let issued = 0;
  let origin = '';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answer(req, res, { origin, tenantId, clientId, clientSecret, onIssue: () => issued++ }).catch(() =>
      res.destroy(),
    );
  };
  const server = createServer({ key: ENTRA_SIM_KEY, cert: ENTRA_SIM_CERT, keepAlive: true }, handler);
  server.on('tlsClientError', () => {}); // a client that does not trust the CA: its error, not ours
  const port = await listen(server, options.port ?? 0);
  origin = `https://${LOOPBACK}:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url: origin,
    tenantId,
    clientId,
    clientSecret,
    caPem: ENTRA_SIM_CA,
    tokensIssued: () => issued,
    stop: () => {
      stopped ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

interface Tenant {
  readonly origin: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  onIssue(): void;
}

async function answer(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
  const { path } = splitUrl(req.url ?? '/');
  const [, tenantId, ...rest] = path.split('/');
  const route = `${req.method} /${rest.join('/')}`;
  if (tenantId !== tenant.tenantId) {
    return oauthError(res, 400, 'invalid_tenant', `AADSTS90002: Tenant '${tenantId}' not found.`);
  }
  if (route === 'GET /v2.0/.well-known/openid-configuration') {
    const base = `${tenant.origin}/${tenant.tenantId}`;
    return writeJson(
      res,
      200,
      {
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      },
      {},
    );
  }
  if (route !== 'POST /oauth2/v2.0/token') return writeJson(res, 404, { error: 'not_found' }, {});
  const form = new URLSearchParams((await readBody(req))?.toString('utf8') ?? '');
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(
      res,
      400,
      'unsupported_grant_type',
      'AADSTS70003: only client_credentials is emulated.',
    );
  }
  if (form.get('client_id') !== tenant.clientId) {
    return oauthError(
      res,
      400,
      'unauthorized_client',
      'AADSTS700016: Application not found in the directory.',
    );
  }
  if (form.get('client_secret') !== tenant.clientSecret) {
    return oauthError(res, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
  }
  tenant.onIssue();
  const token = `sim.${randomBytes(24).toString('base64url')}`;
  writeJson(
    res,
    200,
    { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token },
    { 'cache-control': 'no-store' },
  );
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  writeJson(res, status, { error, error_description: description, error_codes: [] }, {});
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
