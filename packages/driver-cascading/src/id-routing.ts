import { BrokerError, type ServerRef, type VolumeRef } from '@hybrid-broker/core';
import type { ServiceName } from '@hybrid-broker/driver-openstack';
import { isOpenStackId, type OpenStackIdKind } from '@hybrid-broker/driver-openstack/layers';
import { searchRegions } from './bare-id-search.js';
import type { RegionDirectory, RegionHandle } from './region-directory.js';
import { parseRegionId, type RegionRef } from './region-id.js';

/** What id routing needs. */
export interface IdRoutingOptions {
  readonly directory: RegionDirectory;
  /** What an id without a region prefix means. */
  readonly bareIds: 'search' | 'reject';
}

/** A call routed to one region, with the cloud's own id. */
export interface Routed {
  readonly handle: RegionHandle;
  readonly providerId: string;
}

/** An attach or detach routed to one region, with both of the cloud's own ids. */
export interface RoutedPair {
  readonly handle: RegionHandle;
  readonly server: RegionRef;
  readonly volume: RegionRef;
}

/**
 * Sends calls on existing resources to their region: by the id's region
 * prefix, or for a bare id (config `bareIds: search`) by asking the regions
 * that offer the service. The region must offer what the call needs.
 */
export class IdRouting {
  readonly #o: IdRoutingOptions;

  constructor(options: IdRoutingOptions) {
    this.#o = options;
  }

  /** The region of one id: its prefix, or for a bare id the one region that knows it (undefined: none). */
  async route(
    id: string,
    field: string,
    service: ServiceName,
    signal: AbortSignal | undefined,
  ): Promise<Routed | undefined> {
    const ref = parseRegionId(id, field);
    checkProviderId(service === 'compute' ? 'server' : 'volume', ref, id, field);
    const region = ref.region ?? (await this.#search(ref, field, service, signal));
    if (region === undefined) return undefined;
    return {
      handle: await this.#o.directory.handle(region, [service], field, signal),
      providerId: ref.providerId,
    };
  }

  /** The one region of an attach or detach: both ids must agree; a bare one follows the other. */
  async routePair(request: ServerRef & VolumeRef, signal: AbortSignal | undefined): Promise<RoutedPair> {
    const server = parseRegionId(request.serverId, 'serverId');
    const volume = parseRegionId(request.volumeId, 'volumeId');
    if (server.region !== undefined && volume.region !== undefined && server.region !== volume.region) {
      throw new BrokerError(
        'invalid-request',
        `volume ${request.volumeId} is in region "${volume.region}" but server ${request.serverId} is in ` +
          `region "${server.region}"; an attach must stay within one region and availability zone`,
        { field: 'volumeId' },
      );
    }
    checkProviderId('server', server, request.serverId, 'serverId');
    checkProviderId('volume', volume, request.volumeId, 'volumeId');
    const field = server.region !== undefined || volume.region === undefined ? 'serverId' : 'volumeId';
    const region =
      server.region ?? volume.region ?? (await this.#search(server, 'serverId', 'compute', signal));
    if (region === undefined) throw notFound('server', request.serverId);
    const handle = await this.#o.directory.handle(region, ['compute', 'volume'], field, signal);
    return { handle, server, volume };
  }

  async #search(
    ref: RegionRef,
    field: string,
    service: ServiceName,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const kind = service === 'compute' ? 'server' : 'volume';
    if (this.#o.bareIds === 'reject') {
      throw new BrokerError(
        'invalid-request',
        `${field} "${ref.providerId}" carries no region; pass "<region>:<id>" (bareIds is "reject")`,
        { field },
      );
    }
    const table = await this.#o.directory.table(signal);
    const regions = [...table.regions.values()]
      .filter((r) => r.services.includes(service))
      .map((r) => r.name);
    const hit = await searchRegions({
      kind,
      id: ref.providerId,
      field,
      regions,
      signal,
      probe: async (region) => {
        const { driver } = await this.#o.directory.handle(region, [service], field, signal);
        return kind === 'server'
          ? driver.getServer({ serverId: ref.providerId }, { signal })
          : driver.getVolume({ volumeId: ref.providerId }, { signal });
      },
    });
    return hit?.region;
  }
}

/**
 * The cloud's own part of a cascading id must be an id Nova or Cinder could
 * hold, checked before any region is asked: a malformed id is the caller's
 * mistake (`invalid-request` naming the field), never a verdict of not-found.
 */
function checkProviderId(kind: OpenStackIdKind, ref: RegionRef, id: string, field: string): void {
  if (isOpenStackId(kind, ref.providerId)) return;
  const own = kind === 'server' ? 'Nova server id (a UUID, or a numeric id)' : 'Cinder volume id (a UUID)';
  throw new BrokerError(
    'invalid-request',
    `${field}: expected "<region>:<${kind} id>" or a bare ${kind} id, the id a ${own}; got ${JSON.stringify(id.slice(0, 80))}`,
    { field, retryable: false },
  );
}

/** The error of an id no region knows. */
export function notFound(kind: string, id: string): BrokerError {
  return new BrokerError('not-found', `${kind} ${id} not found in any region`, { statusCode: 404 });
}
