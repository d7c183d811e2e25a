import { type CreateVolumeRequest, isBrokerError, type RetryPolicy, type Volume } from '@hybrid-broker/core';
import {
  checkMetadataLimits,
  checkSameVolumeCreate,
  createVolumeDigest,
  DEFAULT_WAIT,
  OPENSTACK_METADATA_LIMITS,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  raceWinner,
  settleCreateRace,
  verdict,
  type WaitVerdict,
  withRetry,
} from '@hybrid-broker/core/driver-kit';
import type { CinderCreateVolume } from '../cinder/cinder-client.js';
import type { CinderVolume } from '../cinder/cinder-schemas.js';
import { checkOpenStackId } from '../common/openstack-ids.js';
import { IDEMPOTENCY_METADATA_KEY } from './create-server.js';
import { toVolume } from './openstack-mapping.js';
import { type OpenStackOps, waitOn } from './openstack-ops.js';

/** What a create needs beside the request: the driver's operations and its retry policy. */
export interface CreateVolumeDeps {
  readonly ops: OpenStackOps;
  readonly retry?: RetryPolicy | undefined;
}

/**
 * Cinder `POST /volumes` and a wait until the volume is `available`. With an
 * idempotency key the volume carries it as metadata (the marker createServer
 * writes on servers) and the request's digest; every attempt first lists by
 * the marker, so a repeat returns the key's volume, or `conflict` for another
 * request. Cinder has no client token, so two replicas that create at once
 * both make one: each lists by the key after its POST was accepted and keeps
 * core's race winner, the loser deleting its own (see settleCinderRace).
 */
export async function createVolumeOn(
  request: CreateVolumeRequest,
  call: ResolvedCallOptions,
  deps: CreateVolumeDeps,
): Promise<Volume> {
  checkMetadataLimits(request.metadata, OPENSTACK_METADATA_LIMITS, IDEMPOTENCY_METADATA_KEY);
  if (request.fromSnapshotId !== undefined)
    checkOpenStackId('snapshot', request.fromSnapshotId, 'fromSnapshotId');
  if (request.fromImageId !== undefined) checkOpenStackId('image', request.fromImageId, 'fromImageId');
  const { ops } = deps;
  const body = createBody(request, call.idempotencyKey);
  const key = call.idempotencyKey;
  let id: string;
  if (key === undefined) {
    id = (await ops.cinder.createVolume(body, call.signal)).id;
  } else {
    const retry = {
      operation: 'createVolume',
      idempotent: true,
      policy: deps.retry,
      signal: call.signal,
      clock: ops.clock,
      ...(ops.emit ? { emit: ops.emit } : {}),
    };
    const sent = await withRetry(retry, async () => {
      const existing = raceWinner(await withKey(ops, key, call.signal));
      if (existing) {
        checkSameVolumeCreate(key, existing.metadata?.[REQUEST_DIGEST_KEY], request);
        return { id: existing.id, mine: false };
      }
      return { id: (await ops.cinder.createVolume(body, call.signal)).id, mine: true };
    });
    id = sent.mine ? await settleCinderRace(sent.id, key, request, call, ops) : sent.id;
  }
  if (call.wait === false) return ops.getVolume({ volumeId: id }, call);
  return waitAvailable(ops, call, id);
}

function createBody(request: CreateVolumeRequest, key: string | undefined): CinderCreateVolume {
  const metadata = {
    ...request.metadata,
    ...(key === undefined
      ? {}
      : { [IDEMPOTENCY_METADATA_KEY]: key, [REQUEST_DIGEST_KEY]: createVolumeDigest(request) }),
  };
  return {
    name: request.name,
    size: request.sizeGiB,
    availability_zone: request.availabilityZone,
    ...(request.volumeType === undefined ? {} : { volume_type: request.volumeType }),
    ...(request.fromSnapshotId === undefined ? {} : { snapshot_id: request.fromSnapshotId }),
    ...(request.fromImageId === undefined ? {} : { imageRef: request.fromImageId }),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

/** The key's live volumes, oldest first is core's rule (deleting ones and errors of deletes do not count). */
async function withKey(ops: OpenStackOps, key: string, signal: AbortSignal | undefined) {
  const listed = await ops.cinder.listVolumes({ metadata: { [IDEMPOTENCY_METADATA_KEY]: key } }, signal);
  return listed.filter(live).map(candidate);
}

const live = (v: CinderVolume) => v.status !== 'deleting' && v.status !== 'error_deleting';
const candidate = (v: CinderVolume) => ({ ...v, created: v.created_at ?? undefined });

/**
 * Settles a race of creates with one key once Cinder accepted ours (core's
 * settleCreateRace). Cinder deletes no volume that is still `creating`, so
 * the loser waits until its own has left `creating`, then deletes it, and
 * returns the winner's id. A winner made for another request is a conflict.
 */
async function settleCinderRace(
  mine: string,
  key: string,
  request: CreateVolumeRequest,
  call: ResolvedCallOptions,
  ops: OpenStackOps,
): Promise<string> {
  const winner = await settleCreateRace(mine, {
    listByKey: () => withKey(ops, key, call.signal),
    read: async (id) => candidate(await ops.reads.readVolume(id, call.signal)),
    remove: async (id) => {
      await waitCreated(ops, call, id);
      await ops.cinder.deleteVolume(id, call.signal).catch((error: unknown) => {
        if (!isBrokerError(error, 'not-found')) throw error;
      });
    },
  });
  if (winner.id !== mine) checkSameVolumeCreate(key, winner.metadata?.[REQUEST_DIGEST_KEY], request);
  return winner.id;
}

/** Waits until a volume has left `creating` (to delete a race's loser, even with `wait: false`). */
function waitCreated(ops: OpenStackOps, call: ResolvedCallOptions, id: string): Promise<Volume> {
  const bounded = call.wait === false ? { ...call, wait: DEFAULT_WAIT } : call;
  return waitVolume(ops, bounded, id, 'to leave creating', (v) =>
    v.providerStatus === 'creating' ? verdict.pending : verdict.done,
  );
}

/** Waits until the volume is `available`; an `error` status ends the wait at once. */
function waitAvailable(ops: OpenStackOps, call: ResolvedCallOptions, id: string): Promise<Volume> {
  return waitVolume(ops, call, id, 'to be available', (v) => {
    if (v.status === 'available') return verdict.done;
    if (v.status === 'error') return verdict.failed(`volume ${id} went to ${v.providerStatus}`);
    return verdict.pending;
  });
}

/** One wait over the volume's reads (core's waiter, paced as the driver's other waits). */
export function waitVolume(
  ops: OpenStackOps,
  call: ResolvedCallOptions,
  id: string,
  what: string,
  check: (volume: Volume) => WaitVerdict,
): Promise<Volume> {
  return waitOn(ops, call, 'createVolume', ops.reads.watchVolume(id), true, (watch) => ({
    description: `volume ${id} ${what}`,
    probe: async (signal) => toVolume(await watch.read(signal), ops.region),
    stateOf: (v) => v.providerStatus,
    check,
  }));
}
