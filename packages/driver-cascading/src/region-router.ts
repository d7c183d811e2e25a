import { BrokerError, type CreateServerRequest, type CreateVolumeRequest } from '@hybrid-broker/core';
import type { RegionTable } from './region-discovery.js';

/** Where zones are, as configured. */
export interface ZoneMapConfig {
  /** Zone -> region, checked first. */
  readonly availabilityZoneRegions: Readonly<Record<string, string>>;
  /** Per-region zone lists. */
  readonly regionSettings: Readonly<
    Record<string, { readonly availabilityZones?: readonly string[] | undefined }>
  >;
}

/** The region a create goes to and the request field that chose it (for errors). */
export interface RouteDecision {
  readonly region: string;
  readonly field: 'region' | 'availabilityZone';
}

/**
 * Picks the region of a new server or volume: `request.region` if given; else the
 * region of `request.availabilityZone` (the zone map, then a region listing
 * the zone, then the region named like the zone: the cascading convention);
 * else the only region offering compute.
 */
export class RegionRouter {
  readonly #zones = new Map<string, string>();

  constructor(config: ZoneMapConfig) {
    for (const [region, settings] of Object.entries(config.regionSettings)) {
      for (const zone of settings.availabilityZones ?? []) this.#zones.set(zone, region);
    }
    // The explicit map wins over per-region lists.
    for (const [zone, region] of Object.entries(config.availabilityZoneRegions))
      this.#zones.set(zone, region);
  }

  /** The region for `request` given the current catalog; `invalid-request` naming the field when none fits. */
  route(request: CreateServerRequest | CreateVolumeRequest, table: RegionTable): RouteDecision {
    if (request.region !== undefined) return { region: request.region, field: 'region' };
    const zone = request.availabilityZone;
    if (zone !== undefined) {
      const mapped = this.#zones.get(zone);
      if (mapped !== undefined) return { region: mapped, field: 'availabilityZone' };
      if (table.regions.has(zone) || table.filteredOut.has(zone)) {
        return { region: zone, field: 'availabilityZone' };
      }
      throw new BrokerError(
        'invalid-request',
        `availability zone "${zone}" maps to no region: it is not in availabilityZoneRegions or any ` +
          `regionSettings.<region>.availabilityZones, and no catalog region is named "${zone}"; set region`,
        { field: 'availabilityZone' },
      );
    }
    const computeRegions = [...table.regions.values()].filter((r) => r.services.includes('compute'));
    const only = computeRegions[0];
    if (computeRegions.length === 1 && only) return { region: only.name, field: 'region' };
    throw new BrokerError(
      'invalid-request',
      `set region or availabilityZone: ${computeRegions.length} regions offer compute` +
        (computeRegions.length > 0
          ? ` (${computeRegions
              .slice(0, 10)
              .map((r) => r.name)
              .join(', ')}${computeRegions.length > 10 ? ', ...' : ''})`
          : ''),
      { field: 'region' },
    );
  }
}
