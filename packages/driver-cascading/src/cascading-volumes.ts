import type {
  CallOptions,
  CreateVolumeRequest,
  DeleteVolumeResult,
  Volume,
  VolumeRef,
  WaitOptions,
} from '@hybrid-broker/core';
import { resolveCallOptions } from '@hybrid-broker/core/driver-kit';
import { snapshotIn } from './cascading-snapshots.js';
import type { IdRouting } from './id-routing.js';
import type { RegionDirectory } from './region-directory.js';
import { inRegion, inRegionCall } from './region-results.js';
import type { RegionRouter } from './region-router.js';

/** What the cascading volume operations use of the driver. */
export interface CascadingVolumeDeps {
  readonly directory: RegionDirectory;
  readonly router: RegionRouter;
  readonly ids: IdRouting;
  readonly wait?: WaitOptions | undefined;
}

/**
 * Creates a volume in `request.region`, or in the region of its zone (the
 * same rule as createServer), through that region's OpenStack driver; the id
 * returned carries the region. The idempotency key is the region's: a repeat
 * routes to the same region, so it finds the same volume.
 */
export async function createVolumeAcross(
  deps: CascadingVolumeDeps,
  request: CreateVolumeRequest,
  options: CallOptions | undefined,
): Promise<Volume> {
  const call = resolveCallOptions(options, deps.wait);
  const table = await deps.directory.table(call.signal);
  const { region, field } = deps.router.route(request, table);
  const handle = await deps.directory.handle(region, ['volume'], field, call.signal);
  const { region: _chosen, ...rest } = request;
  const forRegion = { ...rest, ...snapshotIn(region, request.fromSnapshotId) };
  const volume = await inRegionCall(region, () => handle.driver.createVolume(forRegion, options));
  return inRegion.volume(region, volume);
}

/** Deletes a volume in the region its id names; an id that routes nowhere is already gone. */
export async function deleteVolumeRouted(
  deps: CascadingVolumeDeps,
  request: VolumeRef,
  options: CallOptions | undefined,
): Promise<DeleteVolumeResult> {
  const call = resolveCallOptions(options, deps.wait);
  const routed = await deps.ids.route(request.volumeId, 'volumeId', 'volume', call.signal);
  if (!routed) return { volumeId: request.volumeId, deleted: false };
  const { handle, providerId } = routed;
  const result = await inRegionCall(handle.info.name, () =>
    handle.driver.deleteVolume({ volumeId: providerId }, options),
  );
  return { volumeId: request.volumeId, deleted: result.deleted };
}
