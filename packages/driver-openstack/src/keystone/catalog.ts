import { BrokerError } from '@hybrid-broker/core';
import type { EndpointInterface, ServiceName } from '../common/openstack-config.js';

/** One endpoint of a Keystone v3 catalog entry. */
export interface CatalogEndpoint {
  readonly id?: string;
  readonly interface: string;
  readonly region?: string | null;
  readonly region_id?: string | null;
  readonly url: string;
}

/** One service of a Keystone v3 catalog (`token.catalog[]`). */
export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly id?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** The catalog a token carries. */
export type ServiceCatalog = readonly CatalogService[];

/**
 * Catalog types of each service, best first. Block storage has been published
 * under several types over the years (service-types-authority's aliases).
 */
export const SERVICE_TYPE_ALIASES: Readonly<Record<ServiceName, readonly string[]>> = {
  compute: ['compute'],
  volume: ['block-storage', 'volumev3', 'volumev2', 'volume', 'block-store'],
  image: ['image'],
  network: ['network'],
};

/** What to look for in the catalog. */
export interface EndpointQuery {
  readonly service: ServiceName;
  /** Only endpoints of this region (matched against `region_id` and `region`). */
  readonly region?: string | undefined;
  /** Interfaces in order of preference. */
  readonly interfaces: readonly EndpointInterface[];
  /** The token's project id, substituted for `$(project_id)s` and `%(tenant_id)s`. */
  readonly projectId?: string | undefined;
}

/**
 * Finds a service's endpoint URL: the first catalog type (in alias order)
 * that has an endpoint in the region with one of the interfaces (in
 * preference order). Fails with `invalid-request` listing what the catalog
 * does offer, or the regions to choose from when no region was given and
 * several match.
 *
 * @example
 * findEndpoint(token.catalog, { service: 'volume', region: 'RegionOne', interfaces: ['internal', 'public'] })
 */
export function findEndpoint(catalog: ServiceCatalog, query: EndpointQuery): string {
  for (const type of SERVICE_TYPE_ALIASES[query.service]) {
    const endpoints = catalog
      .filter((s) => s.type === type)
      .flatMap((s) => s.endpoints)
      .filter((e) => query.region === undefined || regionOf(e) === query.region || e.region === query.region);
    for (const iface of query.interfaces) {
      const matches = endpoints.filter((e) => e.interface === iface);
      const regions = [...new Set(matches.map(regionOf))];
      if (matches.length === 0) continue;
      if (query.region === undefined && regions.length > 1) {
        throw new BrokerError(
          'invalid-request',
          `the catalog offers ${type} in several regions (${regions.join(', ')}); set region`,
          { field: 'region' },
        );
      }
      const first = matches[0];
      if (first) return substituteProjectId(first.url, query.projectId);
    }
  }
  throw new BrokerError(
    'invalid-request',
    `no ${query.service} endpoint (catalog types ${SERVICE_TYPE_ALIASES[query.service].join(', ')}) ` +
      `${query.region === undefined ? 'in any region' : `in region ${query.region}`} with interface ` +
      `${query.interfaces.join(' or ')}; the catalog offers: ${describeCatalog(catalog)}`,
    { field: query.region === undefined ? 'interfaces' : 'region' },
  );
}

/** Replaces `$(project_id)s`, `%(project_id)s` and the `tenant_id` forms with the project id. */
export function substituteProjectId(url: string, projectId: string | undefined): string {
  if (projectId === undefined) return url;
  return url.replace(/[$%]\((project_id|tenant_id)\)s/g, projectId);
}

/** A one-line summary of a catalog: `compute (RegionOne: public, internal); image (...)`. */
export function describeCatalog(catalog: ServiceCatalog): string {
  if (catalog.length === 0) return '(an empty catalog)';
  return catalog
    .map((service) => {
      const byRegion = new Map<string, string[]>();
      for (const e of service.endpoints) {
        const list = byRegion.get(regionOf(e)) ?? [];
        list.push(e.interface);
        byRegion.set(regionOf(e), list);
      }
      const parts = [...byRegion].map(([region, ifaces]) => `${region}: ${ifaces.join(', ')}`);
      return `${service.type} (${parts.join('; ') || 'no endpoints'})`;
    })
    .join('; ');
}

/** Each region of a catalog with the services it offers, by our service names. */
export function catalogRegions(catalog: ServiceCatalog): Map<string, Set<ServiceName>> {
  const regions = new Map<string, Set<ServiceName>>();
  for (const service of catalog) {
    const ours = (Object.keys(SERVICE_TYPE_ALIASES) as ServiceName[]).find((name) =>
      SERVICE_TYPE_ALIASES[name].includes(service.type),
    );
    for (const endpoint of service.endpoints) {
      const set = regions.get(regionOf(endpoint)) ?? new Set<ServiceName>();
      if (ours) set.add(ours);
      regions.set(regionOf(endpoint), set);
    }
  }
  return regions;
}

function regionOf(endpoint: CatalogEndpoint): string {
  return endpoint.region_id ?? endpoint.region ?? '(no region)';
}
