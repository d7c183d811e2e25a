import type { ResolvedCallOptions } from '../call-options.js';
import type { CallOptions, PlatformDriver, ReadOptions } from '../driver.js';
import { BrokerError, isBrokerError } from '../errors.js';
import { checkMetadataLimits, OPENSTACK_METADATA_LIMITS } from '../metadata-limits.js';
import { REQUEST_DIGEST_KEY } from '../request-digest.js';
import {
  checkSameSnapshotCreate,
  createSnapshotDigest,
  snapshotMatches,
} from '../snapshots/snapshot-digest.js';
import type { CreateSnapshotRequest, Snapshot } from '../snapshots/snapshot-types.js';
import { verdict, type WaitVerdict } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';
import { IDEMPOTENCY_TAG } from './memory-records.js';

/** How the snapshot calls wait: the driver's own `waitFor` over a snapshot read. */
export type MemorySnapshotWait = (
  description: string,
  call: ResolvedCallOptions,
  probe: () => Promise<Snapshot | undefined>,
  stateOf: (value: Snapshot | undefined) => string,
  check: (value: Snapshot | undefined) => WaitVerdict,
) => Promise<Snapshot | undefined>;

/** What the snapshot calls take of the driver: its cloud, its call start and its wait. */
export interface MemorySnapshotHost {
  readonly cloud: () => MemoryCloud;
  readonly begin: (operation: string, options: CallOptions | undefined) => ResolvedCallOptions;
  readonly wait: MemorySnapshotWait;
}

type Calls = Required<
  Pick<PlatformDriver, 'createSnapshot' | 'getSnapshot' | 'listSnapshots' | 'deleteSnapshot'>
>;

const state = (s: Snapshot | undefined): string => s?.status ?? 'gone';

/**
 * The memory driver's snapshot calls, as Cinder behaves: an in-use volume needs `force`, a key's
 * repeat returns its snapshot (or `conflict` for another request), and each call waits on reads.
 */
export function memorySnapshotCalls(host: MemorySnapshotHost): Calls {
  const read = async (id: string, options?: ReadOptions) => {
    host.begin('getSnapshot', options);
    return host.cloud().snapshots.get(id);
  };
  const readOrGone = (id: string) => read(id).catch(notFoundAsUndefined);
  return {
    createSnapshot: async (request, options) => {
      const call = host.begin('createSnapshot', options);
      const made = makeSnapshot(host.cloud(), request, call.idempotencyKey);
      if (call.wait === false) return made;
      const done = await host.wait(
        `snapshot ${made.id} to be available`,
        call,
        () => readOrGone(made.id),
        state,
        (s) =>
          s === undefined
            ? verdict.failed(`snapshot ${made.id} was deleted while it was made`)
            : s.status === 'creating'
              ? verdict.pending
              : verdict.done,
      );
      return done as Snapshot;
    },
    getSnapshot: (request, options) => read(request.snapshotId, options),
    listSnapshots: async (filter = {}, options) => {
      host.begin('listSnapshots', options);
      return host
        .cloud()
        .snapshots.all()
        .filter((s) => snapshotMatches(s, filter));
    },
    deleteSnapshot: async ({ snapshotId }, options) => {
      const call = host.begin('deleteSnapshot', options);
      const cloud = host.cloud();
      if (!cloud.snapshots.delete(snapshotId, cloud.options.delays.deleteMs))
        return { snapshotId, deleted: false };
      if (call.wait === false) return { snapshotId, deleted: true };
      await host.wait(
        `snapshot ${snapshotId} to be deleted`,
        call,
        () => readOrGone(snapshotId),
        state,
        (s) => (s === undefined ? verdict.done : verdict.pending),
      );
      return { snapshotId, deleted: true };
    },
  };
}

/** The key's snapshot, or a new one; decided in one turn, so two replicas never both make one. */
function makeSnapshot(cloud: MemoryCloud, request: CreateSnapshotRequest, key: string | undefined): Snapshot {
  checkMetadataLimits(request.metadata, OPENSTACK_METADATA_LIMITS, IDEMPOTENCY_TAG);
  const existing =
    key === undefined
      ? undefined
      : cloud.snapshots.all().find((s) => s.metadata[IDEMPOTENCY_TAG] === key && s.status !== 'deleting');
  if (existing && key !== undefined) {
    checkSameSnapshotCreate(key, existing.metadata[REQUEST_DIGEST_KEY], request);
    return existing;
  }
  const volume = cloud.volume(request.volumeId);
  if (volume.status === 'in-use' && request.force !== true)
    throw new BrokerError(
      'invalid-state',
      `volume ${volume.id} is in-use; pass force to snapshot an attached volume (the copy is crash-consistent)`,
      { field: 'force', lastState: volume.status, statusCode: 400 },
    );
  if (volume.status !== 'available' && volume.status !== 'in-use')
    throw new BrokerError(
      'invalid-state',
      `volume ${volume.id} is ${volume.status}; it cannot be snapshot now`,
      {
        lastState: volume.status,
        statusCode: 400,
      },
    );
  const marker: Record<string, string> =
    key === undefined ? {} : { [IDEMPOTENCY_TAG]: key, [REQUEST_DIGEST_KEY]: createSnapshotDigest(request) };
  const delay = cloud.options.delays.createVolumeMs ?? cloud.options.delays.attachMs;
  return cloud.snapshots.make(
    {
      volumeId: volume.id,
      name: request.name,
      sizeGiB: volume.sizeGiB,
      metadata: { ...request.metadata, ...marker },
    },
    delay,
  );
}

function notFoundAsUndefined(error: unknown): undefined {
  if (isBrokerError(error, 'not-found')) return undefined;
  throw error;
}
