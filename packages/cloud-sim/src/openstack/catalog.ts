import { stableId } from './identity.js';
import type { Region } from './regions.js';

/** One endpoint of a catalog entry, as Keystone v3 returns it. */
export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: 'public' | 'internal' | 'admin';
  readonly region: string;
  readonly region_id: string;
  readonly url: string;
}

/** One service of the catalog. */
export interface CatalogService {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: CatalogEndpoint[];
}

/** Path prefix per interface: the public endpoints sit at the root, the others below a prefix. */
export const INTERFACE_PREFIXES = { public: '', internal: '/internal', admin: '/admin' } as const;

const INTERFACES = Object.keys(INTERFACE_PREFIXES) as (keyof typeof INTERFACE_PREFIXES)[];

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  identity: 'keystone',
  compute: 'nova',
  image: 'glance',
  volumev3: 'cinderv3',
  volumev2: 'cinderv2',
  'block-storage': 'cinder',
};

/** Path (after the interface prefix) of a service's endpoint in a region. */
export function servicePath(type: string, region: string, projectId: string): string {
  const r = encodeURIComponent(region);
  switch (type) {
    case 'compute':
      return `/compute/${r}/v2.1/${projectId}`;
    case 'volumev2':
      return `/volume/${r}/v2/${projectId}`;
    case 'volumev3':
    case 'block-storage':
      return `/volume/${r}/v3/${projectId}`;
    case 'image':
      return `/image/${r}`;
    default:
      return '/v3';
  }
}

/** Service types a region offers; the one Keystone is registered in the first region only. */
function typesOf(region: Region, first: boolean): string[] {
  return [
    ...(first ? ['identity'] : []),
    ...(region.compute ? ['compute'] : []),
    ...(region.volume ? [region.volume] : []),
    ...(region.image ? ['image'] : []),
  ];
}

/**
 * The catalog for a project: one entry per service type, holding the endpoints of every
 * region that offers it (public/internal/admin), URLs carrying the project id.
 */
export function buildCatalog(
  regions: readonly Region[],
  origin: string,
  projectId: string,
): CatalogService[] {
  const services = new Map<string, CatalogService>();
  for (const [index, region] of regions.entries()) {
    for (const type of typesOf(region, index === 0)) {
      let service = services.get(type);
      if (!service) {
        // Key order as Keystone emits it.
        service = { endpoints: [], id: stableId(`service:${type}`), type, name: SERVICE_NAMES[type] ?? type };
        services.set(type, service);
      }
      for (const iface of INTERFACES) {
        service.endpoints.push({
          id: stableId(`endpoint:${region.name}:${type}:${iface}`),
          interface: iface,
          region_id: region.name,
          url: `${origin}${type === 'identity' ? '' : INTERFACE_PREFIXES[iface]}${servicePath(type, region.name, projectId)}`,
          region: region.name,
        });
      }
    }
  }
  return [...services.values()];
}
