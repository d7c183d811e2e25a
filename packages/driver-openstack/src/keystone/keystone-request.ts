import { BrokerError, Secret } from '@hybrid-broker/core';
import { z } from 'zod';
import type { KeystoneAuthConfig } from '../common/openstack-config.js';
import type { HttpRequest, HttpResponse } from '../http/http-types.js';
import type { ServiceCatalog } from './catalog.js';

/** A Keystone v3 token with what the driver needs from its body. */
export interface KeystoneToken {
  /** The `X-Subject-Token`; revealed only into the `X-Auth-Token` header. */
  readonly value: Secret;
  /** `expires_at`, in ms since the epoch. */
  readonly expiresAt: number;
  /** When it was received, in ms since the epoch (our clock). */
  readonly issuedAt: number;
  /**
   * How far our clock runs ahead of Keystone's (ms; 0 when within `SKEW_TOLERANCE_MS`),
   * measured from Keystone's own `issued_at` for a new token, else from its `Date` header.
   * `expiresAt` is on Keystone's clock: a token is expired when `now - clockSkewMs >= expiresAt`.
   */
  readonly clockSkewMs: number;
  readonly catalog: ServiceCatalog;
  readonly projectId: string | undefined;
  readonly userId: string | undefined;
}

/** The Keystone v3 base URL (`.../v3`) of an auth URL written with or without the version. */
export function identityV3Url(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed.replace(/\/v2\.0$/, '')}/v3`;
}

const domain = (id: string | undefined, name: string | undefined) => (id !== undefined ? { id } : { name });

function userOf(auth: {
  userId?: string | undefined;
  username?: string | undefined;
  userDomainId?: string | undefined;
  userDomainName?: string | undefined;
}): Record<string, unknown> {
  if (auth.userId !== undefined) return { id: auth.userId };
  return { name: auth.username, domain: domain(auth.userDomainId, auth.userDomainName) };
}

function scopeOf(auth: {
  projectId?: string | undefined;
  projectName?: string | undefined;
  projectDomainId?: string | undefined;
  projectDomainName?: string | undefined;
}): Record<string, unknown> | undefined {
  if (auth.projectId !== undefined) return { project: { id: auth.projectId } };
  if (auth.projectName !== undefined) {
    return {
      project: { name: auth.projectName, domain: domain(auth.projectDomainId, auth.projectDomainName) },
    };
  }
  return undefined;
}

/**
 * The request that issues a token for `auth`: `POST /v3/auth/tokens` with the
 * method's identity and scope, or, for a pre-issued token without a project,
 * `GET /v3/auth/tokens` (the token validating itself, which returns its catalog).
 */
export function tokenRequest(auth: KeystoneAuthConfig, signal: AbortSignal | undefined): HttpRequest {
  const url = `${identityV3Url(auth.url)}/auth/tokens`;
  const base = { url, service: 'keystone', signal, anonymous: true, idempotent: true } as const;
  switch (auth.method) {
    case 'password': {
      const identity = {
        methods: ['password'],
        password: { user: { ...userOf(auth), password: auth.password.reveal() } },
      };
      return { ...base, method: 'POST', body: { auth: { identity, scope: scopeOf(auth) } } };
    }
    case 'application-credential': {
      const credential =
        auth.applicationCredentialId !== undefined
          ? { id: auth.applicationCredentialId, secret: auth.applicationCredentialSecret.reveal() }
          : {
              name: auth.applicationCredentialName,
              user: userOf(auth),
              secret: auth.applicationCredentialSecret.reveal(),
            };
      return {
        ...base,
        method: 'POST',
        body: {
          auth: { identity: { methods: ['application_credential'], application_credential: credential } },
        },
      };
    }
    case 'token': {
      const scope = scopeOf(auth);
      if (scope === undefined) {
        const value = auth.token.reveal();
        return { ...base, method: 'GET', headers: { 'X-Auth-Token': value, 'X-Subject-Token': value } };
      }
      const identity = { methods: ['token'], token: { id: auth.token.reveal() } };
      return { ...base, method: 'POST', body: { auth: { identity, scope } } };
    }
  }
}

const endpointSchema = z.looseObject({
  id: z.string().optional(),
  interface: z.string(),
  region: z.string().nullish(),
  region_id: z.string().nullish(),
  url: z.string(),
});

const tokenBodySchema = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    catalog: z
      .array(
        z.looseObject({ type: z.string(), name: z.string().optional(), endpoints: z.array(endpointSchema) }),
      )
      .default([]),
    issued_at: z.string().optional(),
    project: z.looseObject({ id: z.string() }).optional(),
    user: z.looseObject({ id: z.string() }).optional(),
  }),
});

/** A measured skew below this is rounding (Date has whole seconds) and latency, not a wrong clock. */
export const SKEW_TOLERANCE_MS = 5_000;

/**
 * Our clock minus Keystone's. A new token's `issued_at` is Keystone's "now"; a validated
 * pre-issued token was issued long ago, so only the `Date` header tells Keystone's time then.
 */
function clockSkew(now: number, issuedAt: string | undefined, date: string | null, fresh: boolean): number {
  const issued = fresh && issuedAt !== undefined ? Date.parse(issuedAt) : Number.NaN;
  const reference = Number.isNaN(issued) ? Date.parse(date ?? '') : issued;
  if (Number.isNaN(reference)) return 0;
  const skew = now - reference;
  return Math.abs(skew) < SKEW_TOLERANCE_MS ? 0 : skew;
}

/**
 * Reads a token response: `X-Subject-Token` and the body's expiry, catalog, project and user.
 * `fresh` is false for a pre-issued token validating itself (its `issued_at` is not "now").
 */
export function parseTokenResponse(response: HttpResponse, now: number, fresh = true): KeystoneToken {
  const subject = response.headers.get('x-subject-token');
  const parsed = tokenBodySchema.safeParse(response.body);
  const expiresAt = parsed.success ? Date.parse(parsed.data.token.expires_at) : Number.NaN;
  if (!subject || !parsed.success || Number.isNaN(expiresAt)) {
    throw new BrokerError(
      'provider-error',
      `keystone returned a token response without ${subject ? 'a readable token body' : 'X-Subject-Token'}`,
      { ...(response.requestId === undefined ? {} : { requestId: response.requestId }) },
    );
  }
  const token = parsed.data.token;
  return {
    value: new Secret(subject),
    expiresAt,
    issuedAt: now,
    clockSkewMs: clockSkew(now, token.issued_at, response.headers.get('date'), fresh),
    catalog: token.catalog,
    projectId: token.project?.id,
    userId: token.user?.id,
  };
}
