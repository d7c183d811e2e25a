import { createHash } from 'node:crypto';
import { BrokerError } from './errors.js';
import type { CreateServerRequest } from './types.js';

/*
 * An idempotency key names one request. A create repeated with the key
 * returns what the first one made; a create that reuses the key for another
 * request is a program bug, and EC2 refuses it (IdempotentParameterMismatch).
 * Every driver refuses it the same way: beside the key marker the server
 * carries a digest of the request, one short hash per field, so a refusal
 * can name the fields that differ without keeping their values (userData
 * may hold secrets; the digest holds none of them in the clear).
 */

/** The metadata (tag) key beside the idempotency marker that holds the request's digest. */
export const REQUEST_DIGEST_KEY = 'hybrid-broker-request-digest';

const VERSION = 'v1';

/**
 * The fields that define a createServer request, as strings. Only fields
 * given count: an absent field and an empty one differ. `region` is left
 * out: the cascading driver routes by it, and the digest is its region's.
 */
function createServerFields(request: CreateServerRequest): Record<string, string> {
  const fields: Record<string, string | readonly string[] | Readonly<Record<string, string>> | undefined> = {
    name: request.name,
    image: request.image,
    flavor: request.flavor,
    availabilityZone: request.availabilityZone,
    networks: request.networks,
    securityGroups: request.securityGroups,
    antiAffinityGroup: request.antiAffinityGroup,
    keyName: request.keyName,
    userData: request.userData,
    adminUsername: request.adminUsername,
    sshPublicKey: request.sshPublicKey,
    metadata: request.metadata,
  };
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // metadata in key order: the same pairs given in another order are the same request
    out[field] =
      typeof value === 'string'
        ? value
        : JSON.stringify(
            Array.isArray(value) ? value : Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)),
          );
  }
  return out;
}

const hash8 = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 8);

/**
 * The digest of a createServer request to store under {@link REQUEST_DIGEST_KEY}:
 * `v1;name=<8 hex>;image=<8 hex>;...`, at most about 240 characters (OpenStack
 * metadata and Azure and EC2 tag values take 255 or more).
 */
export function createServerDigest(request: CreateServerRequest): string {
  return digestOfFields(createServerFields(request));
}

/** The digest of any create's fields (as strings), in the form of {@link createServerDigest}. */
export function digestOfFields(fields: Readonly<Record<string, string>>): string {
  const parts = Object.entries(fields).map(([field, value]) => `${field}=${hash8(value)}`);
  return [VERSION, ...parts].join(';');
}

/** The fields whose hashes differ between two digests, or undefined when `stored` is not a digest this code reads. */
function differingFields(stored: string, wanted: string): string[] | undefined {
  const parse = (digest: string): Map<string, string> | undefined => {
    const [version, ...parts] = digest.split(';');
    if (version !== VERSION) return undefined;
    return new Map(parts.map((p) => p.split('=', 2) as [string, string]));
  };
  const a = parse(stored);
  const b = parse(wanted);
  if (a === undefined || b === undefined) return undefined;
  const fields = new Set([...a.keys(), ...b.keys()]);
  return [...fields].filter((f) => a.get(f) !== b.get(f));
}

/**
 * Refuses a create that reuses `key` for a different request: `conflict`
 * naming the key and the fields that differ (never their values). `stored`
 * is the digest the existing server carries; a server without one (made
 * before digests were recorded) or with one of an unknown version is
 * accepted as the key's result, as it was before.
 */
export function checkSameCreate(key: string, stored: string | undefined, request: CreateServerRequest): void {
  checkSameDigest(key, stored, createServerDigest(request), 'createServer');
}

/** {@link checkSameCreate} for any create: `wanted` is the digest of the request now made with `key`. */
export function checkSameDigest(
  key: string,
  stored: string | undefined,
  wanted: string,
  operation: string,
): void {
  if (stored === undefined) return;
  const differing = differingFields(stored, wanted);
  if (differing === undefined || differing.length === 0) return;
  throw new BrokerError(
    'conflict',
    `idempotency key "${key}" was used for a different ${operation} request (differing: ${differing.join(', ')}); use a new key for a new request`,
    { field: 'idempotencyKey', statusCode: 409, providerCode: 'IdempotentParameterMismatch' },
  );
}
