import {
  BrokerError,
  type CreateSnapshotRequest,
  isBrokerError,
  type RetryPolicy,
  type Snapshot,
} from '@hybrid-broker/core';
import {
  checkMetadataLimits,
  checkSameSnapshotCreate,
  createSnapshotDigest,
  DEFAULT_WAIT,
  OPENSTACK_METADATA_LIMITS,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  raceWinner,
  settleCreateRace,
  verdict,
  withRetry,
} from '@hybrid-broker/core/driver-kit';
import type { CinderCreateSnapshot, CinderSnapshot } from '../cinder/cinder-snapshot-client.js';
import { checkOpenStackId } from '../common/openstack-ids.js';
import { IDEMPOTENCY_METADATA_KEY } from './create-server.js';
import type { OpenStackOps } from './openstack-ops.js';
import { toSnapshot } from './snapshot-mapping.js';
import { waitSnapshot } from './snapshot-reads.js';

/**
 * Cinder `POST /snapshots` and a wait until the snapshot is `available`. Keyed as
 * createVolume is: the key and the request's digest ride in the metadata, every attempt
 * lists by the key first, and since Cinder has no client token two replicas that create
 * at once settle on core's race winner after their POST was accepted, the loser deleting
 * its own. An in-use volume without `force` is refused before anything is sent, as
 * Cinder (below 3.66) refuses it.
 */
export async function createSnapshotOn(
  request: CreateSnapshotRequest,
  call: ResolvedCallOptions,
  deps: { readonly ops: OpenStackOps; readonly retry?: RetryPolicy | undefined },
): Promise<Snapshot> {
  checkOpenStackId('volume', request.volumeId, 'volumeId');
  checkMetadataLimits(request.metadata, OPENSTACK_METADATA_LIMITS, IDEMPOTENCY_METADATA_KEY);
  const { ops } = deps;
  const key = call.idempotencyKey;
  const send = async () => {
    await refuseUnforced(ops, request, call.signal);
    return (await ops.cinder.snapshots.create(createBody(request, key), call.signal)).id;
  };
  let id: string;
  if (key === undefined) id = await send();
  else {
    const retry = { operation: 'createSnapshot', idempotent: true, policy: deps.retry, signal: call.signal };
    const sent = await withRetry(
      { ...retry, clock: ops.clock, ...(ops.emit ? { emit: ops.emit } : {}) },
      async () => {
        const existing = raceWinner(await withKey(ops, key, call.signal));
        if (!existing) return { id: await send(), mine: true };
        checkSameSnapshotCreate(key, existing.metadata?.[REQUEST_DIGEST_KEY], request);
        return { id: existing.id, mine: false };
      },
    );
    id = sent.mine ? await settleRace(sent.id, key, request, call, ops) : sent.id;
  }
  if (call.wait === false) return toSnapshot(await ops.cinder.snapshots.get(id, call.signal));
  const done = await waitSnapshot(ops, call, id, 'to be available', (s) => {
    if (s === undefined) return verdict.failed(`snapshot ${id} was deleted while it was made`);
    if (s.status === 'error') return verdict.failed(`snapshot ${id} went to ${s.providerStatus}`);
    return s.status === 'available' ? verdict.done : verdict.pending;
  });
  return done as Snapshot;
}

function createBody(request: CreateSnapshotRequest, key: string | undefined): CinderCreateSnapshot {
  const marker: Record<string, string> =
    key === undefined
      ? {}
      : { [IDEMPOTENCY_METADATA_KEY]: key, [REQUEST_DIGEST_KEY]: createSnapshotDigest(request) };
  const metadata = { ...request.metadata, ...marker };
  return {
    volume_id: request.volumeId,
    name: request.name,
    ...(request.force === true ? { force: true } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

/** An in-use volume needs `force`: `invalid-state` naming the field, before Cinder's plain 400. */
async function refuseUnforced(
  ops: OpenStackOps,
  request: CreateSnapshotRequest,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (request.force === true) return;
  const volume = await ops.getVolume({ volumeId: request.volumeId }, signal ? { signal } : {});
  if (volume.status !== 'in-use') return;
  throw new BrokerError(
    'invalid-state',
    `volume ${volume.id} is in-use; pass force to snapshot an attached volume (the copy is crash-consistent)`,
    { field: 'force', lastState: volume.providerStatus },
  );
}

/** The key's live snapshots (deleting ones do not count), as race candidates. */
async function withKey(ops: OpenStackOps, key: string, signal: AbortSignal | undefined) {
  const listed = await ops.cinder.snapshots.list({ metadata: { [IDEMPOTENCY_METADATA_KEY]: key } }, signal);
  return listed.filter(live).map(candidate);
}

const live = (s: CinderSnapshot) => s.status !== 'deleting' && s.status !== 'error_deleting';
const candidate = (s: CinderSnapshot) => ({ ...s, created: s.created_at ?? undefined });

/**
 * Settles a race of creates with one key once Cinder accepted ours (core's settleCreateRace).
 * Cinder deletes no snapshot still `creating`, so the loser waits its own out of it first.
 */
async function settleRace(
  mine: string,
  key: string,
  request: CreateSnapshotRequest,
  call: ResolvedCallOptions,
  ops: OpenStackOps,
): Promise<string> {
  const winner = await settleCreateRace(mine, {
    listByKey: () => withKey(ops, key, call.signal),
    read: async (id) => candidate(await ops.cinder.snapshots.get(id, call.signal)),
    remove: async (id) => {
      const bounded = call.wait === false ? { ...call, wait: DEFAULT_WAIT } : call;
      await waitSnapshot(ops, bounded, id, 'to leave creating', (s) =>
        s?.status === 'creating' ? verdict.pending : verdict.done,
      );
      await ops.cinder.snapshots.delete(id, call.signal).catch((error: unknown) => {
        if (!isBrokerError(error, 'not-found')) throw error;
      });
    },
  });
  if (winner.id !== mine) checkSameSnapshotCreate(key, winner.metadata?.[REQUEST_DIGEST_KEY], request);
  return winner.id;
}
