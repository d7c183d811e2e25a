import type {
  CallOptions,
  PowerOperation,
  RebootServerRequest,
  Server,
  StopServerRequest,
} from '@hybrid-broker/core';
import { type IdRouting, notFound } from './id-routing.js';
import { inRegion, inRegionCall } from './region-results.js';

/** Any power request: the server, and the options of a stop or a reboot. */
export type PowerRequest = RebootServerRequest & StopServerRequest;

/**
 * A power call routed by the server id's region to that region's OpenStack driver; the
 * server it returns carries its region in its id again. A missing server is `not-found`.
 */
export async function powerInRegion(
  ids: IdRouting,
  operation: PowerOperation,
  request: PowerRequest,
  options: CallOptions | undefined,
): Promise<Server> {
  const routed = await ids.route(request.serverId, 'serverId', 'compute', options?.signal);
  if (!routed) throw notFound('server', request.serverId);
  const { handle, providerId } = routed;
  const region = handle.info.name;
  const server = await inRegionCall(region, () =>
    handle.driver[operation]({ ...request, serverId: providerId }, options),
  );
  return inRegion.server(region, server);
}
