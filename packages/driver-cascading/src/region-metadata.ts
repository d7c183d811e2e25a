import type {
  CallOptions,
  Server,
  SetServerMetadataRequest,
  SetVolumeMetadataRequest,
  Volume,
} from '@hybrid-broker/core';
import { type IdRouting, notFound } from './id-routing.js';
import { inRegion, inRegionCall } from './region-results.js';

/**
 * `setVolumeMetadata` routed by the volume id's region to that region's OpenStack driver
 * (Cinder there), like the other per-volume calls; the volume comes back with its region
 * in its id. A volume of no known region is `not-found`.
 */
export async function volumeMetadataInRegion(
  ids: IdRouting,
  request: SetVolumeMetadataRequest,
  options: CallOptions | undefined,
): Promise<Volume> {
  const routed = await ids.route(request.volumeId, 'volumeId', 'volume', options?.signal);
  if (!routed) throw notFound('volume', request.volumeId);
  const { handle, providerId } = routed;
  const region = handle.info.name;
  const volume = await inRegionCall(region, () =>
    handle.driver.setVolumeMetadata({ ...request, volumeId: providerId }, options),
  );
  return inRegion.volume(region, volume);
}

/** `setServerMetadata` routed by the server id's region (Nova there); see volumeMetadataInRegion. */
export async function serverMetadataInRegion(
  ids: IdRouting,
  request: SetServerMetadataRequest,
  options: CallOptions | undefined,
): Promise<Server> {
  const routed = await ids.route(request.serverId, 'serverId', 'compute', options?.signal);
  if (!routed) throw notFound('server', request.serverId);
  const { handle, providerId } = routed;
  const region = handle.info.name;
  const server = await inRegionCall(region, () =>
    handle.driver.setServerMetadata({ ...request, serverId: providerId }, options),
  );
  return inRegion.server(region, server);
}
