import type { RegionInfo } from '@hybrid-broker/core';
import type { EndpointInterface, ServiceName } from '@hybrid-broker/driver-openstack';
import { SERVICE_TYPE_ALIASES, type ServiceCatalog } from '@hybrid-broker/driver-openstack/layers';

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
  /**
   * Services the catalog offers in this region only at interfaces the platform
   * does not use, with those interfaces (`{ compute: ['internal'] }`). Absent
   * when there are none. It tells "the region lacks Nova" apart from "Nova is
   * there, at an interface not chosen".
   */
  readonly otherInterfaces?: Readonly<Partial<Record<ServiceName, readonly string[]>>>;
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
 * A region whose endpoints are all at other interfaces is still listed, with
 * those services in `otherInterfaces`.
 * One pass over the endpoints: linear in the catalog's size.
 *
 * @example
 * discoverRegions(token.catalog, { interfaces: ['public'], filter: () => true }).regions.get('az1')
 * // { name: 'az1', services: ['compute', 'volume', 'image'], missing: [], serviceTypes: { volume: 'volumev3', ... } }
 */
export function discoverRegions(catalog: ServiceCatalog, options: DiscoveryOptions): RegionTable {
  const interfaces = new Set<string>(options.interfaces);
  const found = new Map<string, RegionFinds>();
  const filteredOut = new Set<string>();
  const kept = new Map<string, boolean>();
  const regionEntry = (region: string): RegionFinds | undefined => {
    let keep = kept.get(region);
    if (keep === undefined) {
      keep = options.filter(region);
      kept.set(region, keep);
      if (keep) found.set(region, { chosen: new Map(), other: new Map() });
      else filteredOut.add(region);
    }
    return keep ? found.get(region) : undefined;
  };
  for (const service of catalog) {
    const known = TYPE_TO_SERVICE.get(service.type);
    for (const endpoint of service.endpoints) {
      const region = endpoint.region_id ?? endpoint.region;
      if (!region) continue;
      // A region is listed whatever interface its endpoints have: one reachable only
      // at another interface is there, and says what it lacks at the chosen ones.
      const entry = regionEntry(region);
      if (!entry || !known) continue;
      if (!interfaces.has(endpoint.interface)) {
        const seen = entry.other.get(known.service) ?? new Set<string>();
        seen.add(endpoint.interface);
        entry.other.set(known.service, seen);
        continue;
      }
      const previous = entry.chosen.get(known.service);
      if (!previous || known.rank < previous.rank)
        entry.chosen.set(known.service, { type: service.type, rank: known.rank });
    }
  }
  for (const [region, services] of options.overrides ?? []) {
    const entry = found.get(region);
    if (entry) for (const service of services) entry.chosen.set(service, { type: 'override', rank: -1 });
  }
  const regions = new Map<string, CascadedRegion>();
  for (const [name, entry] of found) regions.set(name, toRegion(name, entry));
  return { regions, filteredOut };
}

interface RegionFinds {
  /** Services at a chosen interface, with their best catalog type. */
  readonly chosen: Map<ServiceName, { type: string; rank: number }>;
  /** Services at other interfaces, with those interfaces. */
  readonly other: Map<ServiceName, Set<string>>;
}

function toRegion(name: string, { chosen, other }: RegionFinds): CascadedRegion {
  const serviceTypes: Partial<Record<ServiceName, string>> = {};
  for (const [service, { type }] of chosen) serviceTypes[service] = type;
  const otherInterfaces: Partial<Record<ServiceName, readonly string[]>> = {};
  for (const service of SERVICE_ORDER) {
    const seen = other.get(service);
    if (seen && !chosen.has(service)) otherInterfaces[service] = [...seen].sort();
  }
  return {
    name,
    services: SERVICE_ORDER.filter((s) => chosen.has(s)),
    missing: REQUIRED_SERVICES.filter((s) => !chosen.has(s)),
    serviceTypes,
    ...(Object.keys(otherInterfaces).length > 0 ? { otherInterfaces } : {}),
  };
}
