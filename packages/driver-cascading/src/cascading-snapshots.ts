import {
  BrokerError,
  type PlatformDriver,
  type Snapshot,
  type SnapshotFilter,
  type WaitOptions,
} from '@hybrid-broker/core';
import { resolveCallOptions } from '@hybrid-broker/core/driver-kit';
import { isOpenStackId } from '@hybrid-broker/driver-openstack/layers';
import { searchRegions } from './bare-id-search.js';
import { type IdRouting, notFound } from './id-routing.js';
import type { RegionDirectory, RegionHandle } from './region-directory.js';
import { formatRegionId, parseRegionId } from './region-id.js';
import { regionsFor } from './region-lists.js';
import { inRegionCall } from './region-results.js';

/** What the cascading snapshot calls use of the driver. */
export interface CascadingSnapshotDeps {
  readonly directory: RegionDirectory;
  readonly ids: IdRouting;
  readonly bareIds: 'search' | 'reject';
  readonly wait?: WaitOptions | undefined;
}

type Calls = Required<
  Pick<PlatformDriver, 'createSnapshot' | 'getSnapshot' | 'listSnapshots' | 'deleteSnapshot'>
>;

/** A region's snapshot with the ids a caller passes back carrying the region, as volumes' do. */
function inRegion(region: string, snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    id: formatRegionId(region, snapshot.id),
    volumeId: formatRegionId(region, snapshot.volumeId),
  };
}

/**
 * The cascading driver's snapshot calls. A snapshot lives in its volume's region: a create
 * goes where the volume id routes, and the snapshot id returned carries that region
 * (`<region>:<id>`), so a read or delete goes straight there. A bare snapshot id is searched
 * for (config `bareIds: search`) as bare volume ids are.
 */
export function cascadingSnapshotCalls(deps: () => CascadingSnapshotDeps): Calls {
  return {
    createSnapshot: async (request, options) => {
      const call = resolveCallOptions(options, deps().wait);
      const routed = await deps().ids.route(request.volumeId, 'volumeId', 'volume', call.signal);
      if (!routed) throw notFound('volume', request.volumeId);
      const region = routed.handle.info.name;
      const made = await inRegionCall(region, () =>
        routed.handle.driver.createSnapshot({ ...request, volumeId: routed.providerId }, options),
      );
      return inRegion(region, made);
    },
    getSnapshot: async (request, options) => {
      const routed = await routeSnapshot(deps(), request.snapshotId, options?.signal);
      if (!routed) throw notFound('snapshot', request.snapshotId);
      const { handle, providerId } = routed;
      const name = handle.info.name;
      return inRegion(
        name,
        await inRegionCall(name, () => handle.driver.getSnapshot({ snapshotId: providerId }, options)),
      );
    },
    listSnapshots: (filter = {}, options) => listAcross(deps(), filter, options?.signal),
    deleteSnapshot: async (request, options) => {
      const call = resolveCallOptions(options, deps().wait);
      const routed = await routeSnapshot(deps(), request.snapshotId, call.signal);
      if (!routed) return { snapshotId: request.snapshotId, deleted: false };
      const { handle, providerId } = routed;
      const result = await inRegionCall(handle.info.name, () =>
        handle.driver.deleteSnapshot({ snapshotId: providerId }, options),
      );
      return { snapshotId: request.snapshotId, deleted: result.deleted };
    },
  };
}

/**
 * A createVolume's `fromSnapshotId` as the region's driver takes it (the cloud's own id): a
 * snapshot of another region is `invalid-request`, since Cinder makes volumes only in its own.
 */
export function snapshotIn(region: string, fromSnapshotId: string | undefined): { fromSnapshotId?: string } {
  if (fromSnapshotId === undefined) return {};
  const ref = parseRegionId(fromSnapshotId, 'fromSnapshotId');
  if (ref.region !== undefined && ref.region !== region)
    throw new BrokerError(
      'invalid-request',
      `snapshot ${fromSnapshotId} is in region "${ref.region}", the volume would be in "${region}"; a volume is made from a snapshot of its own region`,
      { field: 'fromSnapshotId' },
    );
  return { fromSnapshotId: ref.providerId };
}

/** The snapshots of the filter's volume's region, or of every region with block storage. */
async function listAcross(
  deps: CascadingSnapshotDeps,
  filter: SnapshotFilter,
  signal: AbortSignal | undefined,
): Promise<Snapshot[]> {
  if (filter.volumeId !== undefined) {
    const routed = await deps.ids.route(filter.volumeId, 'volumeId', 'volume', signal);
    if (!routed) return [];
    const region = routed.handle.info.name;
    const listed = await inRegionCall(region, () =>
      routed.handle.driver.listSnapshots({ ...filter, volumeId: routed.providerId }, { signal }),
    );
    return listed.map((s) => inRegion(region, s));
  }
  const handles = await regionsFor(deps.directory, undefined, 'volume', signal);
  const lists = await Promise.all(
    handles.map(async ({ info, driver }) =>
      (await inRegionCall(info.name, () => driver.listSnapshots(filter, { signal }))).map((s) =>
        inRegion(info.name, s),
      ),
    ),
  );
  return lists.flat();
}

/** The region of a snapshot id: its prefix, or for a bare id the one region that knows it. */
async function routeSnapshot(
  deps: CascadingSnapshotDeps,
  id: string,
  signal: AbortSignal | undefined,
): Promise<{ handle: RegionHandle; providerId: string } | undefined> {
  const ref = parseRegionId(id, 'snapshotId');
  if (!isOpenStackId('snapshot', ref.providerId))
    throw new BrokerError(
      'invalid-request',
      `snapshotId: expected "<region>:<snapshot id>" or a bare Cinder snapshot id (a UUID); got ${JSON.stringify(id.slice(0, 80))}`,
      { field: 'snapshotId', retryable: false },
    );
  let region = ref.region;
  if (region === undefined) {
    if (deps.bareIds === 'reject')
      throw new BrokerError(
        'invalid-request',
        `snapshotId "${id}" carries no region; pass "<region>:<id>" (bareIds is "reject")`,
        {
          field: 'snapshotId',
        },
      );
    const handles = await regionsFor(deps.directory, undefined, 'volume', signal);
    const hit = await searchRegions({
      kind: 'snapshot',
      id: ref.providerId,
      field: 'snapshotId',
      regions: handles.map((h) => h.info.name),
      signal,
      probe: async (name) => {
        const { driver } = await deps.directory.handle(name, ['volume'], 'snapshotId', signal);
        return driver.getSnapshot({ snapshotId: ref.providerId }, { signal });
      },
    });
    region = hit?.region;
  }
  if (region === undefined) return undefined;
  return {
    handle: await deps.directory.handle(region, ['volume'], 'snapshotId', signal),
    providerId: ref.providerId,
  };
}
