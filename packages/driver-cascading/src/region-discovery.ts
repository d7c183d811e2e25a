import type { RegionInfo } from '@hybrid-broker/core';
import {
  type EndpointInterface,
  SERVICE_TYPE_ALIASES,
  type ServiceCatalog,
  type ServiceName,
} from '@hybrid-broker/driver-openstack';

/** The services a cascaded region must offer for the broker's calls. */
export const REQUIRED_SERVICES: readonly ServiceName[] = ['compute', 'volume'];

const SERVICE_ORDER = Object.keys(SERVICE_TYPE_ALIASES) as ServiceName[];

// Catalog type -> our service name, and each type's rank among its aliases (lower is preferred).
const TYPE_TO_SERVICE = new Map<string, { service: ServiceName; rank: number }>(
  SERVICE_ORDER.flatMap((service) =>
    SERVICE_TYPE_ALIASES[service].map((type, rank) => [type, { service, rank }] as const),
  ),
);

/** One cascaded region as discovered: what it offers and under which catalog type. */
export interface CascadedRegion extends RegionInfo {
  /** The catalog type each service was found under (`volume` -> `volumev2`), or `override`. */
  readonly serviceTypes: Readonly<Partial<Record<ServiceName, string>>>;
}

/** What discovery reads besides the catalog. */
export interface DiscoveryOptions {
  /** Only endpoints of these interfaces count. */
  readonly interfaces: readonly EndpointInterface[];
  /** Regions to keep. */
  readonly filter: (region: string) => boolean;
  /** Services a region has through configured endpoint overrides, even if its catalog lacks them. */
  readonly overrides?: ReadonlyMap<string, readonly ServiceName[]>;
}

/** The regions of one catalog. */
export interface RegionTable {
  /** Kept regions by name, in catalog order. */
  readonly regions: ReadonlyMap<string, CascadedRegion>;
  /** Regions the catalog has that the filter dropped. */
  readonly filteredOut: ReadonlySet<string>;
}

/**
 * Reads every region of a Keystone catalog with the services it offers under
 * the preferred interfaces, and what it lacks of {@link REQUIRED_SERVICES}.
 * One pass over the endpoints: linear in the catalog's size.
 *
 * @example
 * discoverRegions(token.catalog, { interfaces: ['public'], filter: () => true }).regions.get('az1')
 * // { name: 'az1', services: ['compute', 'volume', 'image'], missing: [], serviceTypes: { volume: 'volumev3', ... } }
 */
export function discoverRegions(catalog: ServiceCatalog, options: DiscoveryOptions): RegionTable {
  const interfaces = new Set<string>(options.interfaces);
  const found = new Map<string, Map<ServiceName, { type: string; rank: number }>>();
  const filteredOut = new Set<string>();
  const kept = new Map<string, boolean>();
  const regionEntry = (region: string): Map<ServiceName, { type: string; rank: number }> | undefined => {
    let keep = kept.get(region);
    if (keep === undefined) {
      keep = options.filter(region);
      kept.set(region, keep);
      if (keep) found.set(region, new Map());
      else filteredOut.add(region);
    }
    return keep ? found.get(region) : undefined;
  };
  for (const service of catalog) {
    const known = TYPE_TO_SERVICE.get(service.type);
    for (const endpoint of service.endpoints) {
      const region = endpoint.region_id ?? endpoint.region;
      if (!region || !interfaces.has(endpoint.interface)) continue;
      const entry = regionEntry(region);
      if (!entry || !known) continue;
      const previous = entry.get(known.service);
      if (!previous || known.rank < previous.rank)
        entry.set(known.service, { type: service.type, rank: known.rank });
    }
  }
  for (const [region, services] of options.overrides ?? []) {
    const entry = found.get(region);
    if (entry) for (const service of services) entry.set(service, { type: 'override', rank: -1 });
  }
  const regions = new Map<string, CascadedRegion>();
  for (const [name, entry] of found) {
    const services = SERVICE_ORDER.filter((s) => entry.has(s));
    const serviceTypes: Partial<Record<ServiceName, string>> = {};
    for (const [service, { type }] of entry) serviceTypes[service] = type;
    regions.set(name, {
      name,
      services,
      missing: REQUIRED_SERVICES.filter((s) => !entry.has(s)),
      serviceTypes,
    });
  }
  return { regions, filteredOut };
}
