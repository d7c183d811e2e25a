import {
  type BrokerEventInput,
  type Clock,
  type CreateServerRequest,
  isBrokerError,
  type RetryPolicy,
} from '@hybrid-broker/core';
import {
  checkSameCreate,
  createServerDigest,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  raceWinner,
  settleCreateRace,
  withRetry,
} from '@hybrid-broker/core/driver-kit';
import type { NovaClient, NovaCreateServer } from '../nova/nova-client.js';
import type { NovaServer } from '../nova/nova-schemas.js';
import { resolveServerGroup } from '../nova/server-groups.js';
import { checkNovaCreateInput } from './create-input-checks.js';
import type { NameResolver } from './name-resolver.js';

/** The metadata key that marks a server with the idempotency key it was created with. */
export const IDEMPOTENCY_METADATA_KEY = 'hybrid-broker-idempotency-key';

/** What a create needs beside the request. */
export interface CreateServerDeps {
  readonly nova: NovaClient;
  readonly names: NameResolver;
  readonly clock: Clock;
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** Microversions from 2.37 on require `networks` ("auto" when none are given, "none" for `[]`). */
  readonly networksRequired: boolean;
  /** The configured Nova microversion (server groups changed shape at 2.64). */
  readonly microversion: string;
}

/**
 * Sends the create and returns the new server's id. With an idempotency key
 * the server is tagged with it, and every attempt first looks through all the
 * project's servers for one already tagged, so a create repeated after a
 * lost response (by our retry or by the caller) never makes a second server.
 * A server found with the key but a different request digest is refused (see checkSameCreate).
 * Two replicas that send the create at once both make a server: each then
 * lists by the key, and both return the one server kept (see settleNovaRace).
 * Without a key a lost response is not repeated.
 */
export async function sendCreateServer(
  request: CreateServerRequest,
  call: ResolvedCallOptions,
  deps: CreateServerDeps,
): Promise<SentCreate> {
  checkNovaCreateInput(request, IDEMPOTENCY_METADATA_KEY);
  const body = await createBody(request, call, deps);
  // The group is found or made before the server: that step converges on its own (see server-groups.ts).
  const hints =
    request.antiAffinityGroup === undefined
      ? undefined
      : {
          group: await resolveServerGroup(
            deps.nova,
            microversionAtLeast(deps.microversion, 2, 64),
            request.antiAffinityGroup,
            call.signal,
          ),
        };
  const key = call.idempotencyKey;
  // The POST itself is never repeated blindly: each retry starts again by looking for the tagged server.
  if (key === undefined)
    return { id: await deps.nova.createServer(body, call.signal, false, hints), mine: false };
  const retry = raceRetry(call, deps);
  const sent = await withRetry(retry, async () => {
    const existing = findByKey(await deps.nova.listServers(call.signal), key);
    if (existing) {
      // the key's server, unless the key was reused for another request (conflict, never retried)
      checkSameCreate(key, existing.metadata?.[REQUEST_DIGEST_KEY], request);
      return { id: existing.id, mine: false };
    }
    return { id: await deps.nova.createServer(body, call.signal, false, hints), mine: true };
  });
  if (!sent.mine) return sent;
  // Nova has no client token: another replica may have sent the same create at the same instant.
  const id = await withRetry(retry, () => settleNovaRace(sent.id, key, request, call.signal, deps.nova));
  return { id, mine: id === sent.id };
}

/** What {@link sendCreateServer} did. */
export interface SentCreate {
  /** The server the caller gets: its own, or the one another create with the key made. */
  readonly id: string;
  /** This call made `id`, and kept it when it settled the race. */
  readonly mine: boolean;
}

/**
 * Settles the create race a second time, once our server is built, and
 * returns the id every racer keeps. The first settle, right after Nova
 * accepted our create, cannot see a racer whose create Nova accepts later:
 * on the real stack a POST takes about a second, so a racer that looked for
 * the key before our create was accepted may still be sending its own. Both
 * then keep their own when the two were created in the same second (Nova's
 * `created` has whole seconds) and the later one has the lower id. By the
 * time ours is ACTIVE, every such racer's create has been accepted, so this
 * list shows it, and both racers agree by core's raceWinner. A create that
 * found the key's server at its look-up checks too: the server it found may
 * be the loser of such a race, deleted since.
 */
export async function settleBuiltCreate(
  sent: SentCreate,
  request: CreateServerRequest,
  call: ResolvedCallOptions,
  deps: CreateServerDeps,
): Promise<string> {
  const key = call.idempotencyKey;
  if (key === undefined) return sent.id;
  return withRetry(raceRetry(call, deps), async () => {
    if (sent.mine) return settleNovaRace(sent.id, key, request, call.signal, deps.nova);
    const winner = findByKey(await deps.nova.listServers(call.signal), key);
    if (winner === undefined || winner.id === sent.id) return sent.id;
    checkSameCreate(key, winner.metadata?.[REQUEST_DIGEST_KEY], request);
    return winner.id;
  });
}

function raceRetry(call: ResolvedCallOptions, deps: CreateServerDeps) {
  return {
    operation: 'createServer',
    idempotent: true,
    policy: deps.retry,
    signal: call.signal,
    clock: deps.clock,
    ...(deps.emit ? { emit: deps.emit } : {}),
  };
}

/**
 * Settles a race of creates with one key once Nova accepted ours (core's
 * settleCreateRace): the loser deletes its own server and returns the
 * winner's id. The delete is sent, not waited for: Nova marks the server
 * deleting at once, so no look-up by the key counts it again, and it frees
 * the ports Nova made for it (no volume is made by a create) on its own;
 * waiting would add a whole delete to the caller's create for nothing it
 * returns. A winner made for another request with this key is a conflict.
 */
async function settleNovaRace(
  mine: string,
  key: string,
  request: CreateServerRequest,
  signal: AbortSignal | undefined,
  nova: NovaClient,
): Promise<string> {
  const winner = await settleCreateRace(mine, {
    listByKey: async () => liveWithKey(await nova.listServers(signal), key),
    read: (id) => nova.getServer(id, signal),
    remove: (id) =>
      nova.deleteServer(id, signal).catch((error: unknown) => {
        // gone already (a repeat of this step deleted it): the outcome wanted
        if (!isBrokerError(error, 'not-found')) throw error;
      }),
  });
  if (winner.id !== mine) checkSameCreate(key, winner.metadata?.[REQUEST_DIGEST_KEY], request);
  return winner.id;
}

/**
 * The server created with `key`, if any: of several (creates that raced,
 * before the losers' deletes) the one every replica keeps (core's raceWinner).
 */
export function findByKey(servers: readonly NovaServer[], key: string): NovaServer | undefined {
  return raceWinner(liveWithKey(servers, key));
}

/** The live servers created with `key` (deleted or deleting ones do not count). */
function liveWithKey(servers: readonly NovaServer[], key: string): NovaServer[] {
  return servers.filter(
    (s) =>
      s.metadata?.[IDEMPOTENCY_METADATA_KEY] === key &&
      s.status !== 'DELETED' &&
      s.status !== 'SOFT_DELETED' &&
      s['OS-EXT-STS:task_state'] !== 'deleting',
  );
}

async function createBody(
  request: CreateServerRequest,
  call: ResolvedCallOptions,
  deps: CreateServerDeps,
): Promise<NovaCreateServer> {
  const { signal } = call;
  const [imageRef, flavorRef, networkIds] = await Promise.all([
    deps.names.image(request.image, signal),
    deps.names.flavor(request.flavor, signal),
    Promise.all((request.networks ?? []).map((n) => deps.names.network(n, signal))),
  ]);
  const metadata = {
    ...request.metadata,
    ...(call.idempotencyKey === undefined
      ? {}
      : {
          [IDEMPOTENCY_METADATA_KEY]: call.idempotencyKey,
          [REQUEST_DIGEST_KEY]: createServerDigest(request),
        }),
  };
  const networks = networksField(request.networks, networkIds, deps.networksRequired);
  return {
    name: request.name,
    imageRef,
    flavorRef,
    ...(networks === undefined ? {} : { networks }),
    ...(request.securityGroups ? { security_groups: request.securityGroups.map((name) => ({ name })) } : {}),
    ...(request.availabilityZone ? { availability_zone: request.availabilityZone } : {}),
    ...(request.userData === undefined
      ? {}
      : { user_data: Buffer.from(request.userData, 'utf8').toString('base64') }),
    ...(request.keyName ? { key_name: request.keyName } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

/**
 * Nova's `networks`: the given networks; for `[]` no network at all ("none",
 * which 2.37+ requires; below 2.37 the key is left out, and a cloud with one
 * network may still plug it); when absent, "auto" at 2.37+ (Nova allocates or
 * picks one) and nothing below.
 */
function networksField(
  requested: readonly string[] | undefined,
  ids: readonly string[],
  required: boolean,
): NovaCreateServer['networks'] {
  if (ids.length > 0) return ids.map((uuid) => ({ uuid }));
  if (!required) return undefined;
  return requested === undefined ? 'auto' : 'none';
}

/** True when `microversion` is at least `major.minor` ("latest" always is). */
export function microversionAtLeast(microversion: string, major: number, minor: number): boolean {
  if (microversion === 'latest') return true;
  const [a = 0, b = 0] = microversion.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
