import type { RegionSpec, VolumeServiceType } from './openstack-options.js';

/** A region with its defaults filled in. */
export interface Region {
  readonly name: string;
  readonly availabilityZones: readonly string[];
  readonly compute: boolean;
  readonly volume: VolumeServiceType | false;
  readonly image: boolean;
}

const ORDINALS = ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

/** `RegionOne`, `RegionTwo`, ... (`Region11` beyond ten): OpenStack's default naming. */
export function regionName(index: number): string {
  return `Region${ORDINALS[index] ?? String(index + 1)}`;
}

/** Fills a spec's defaults; rejects an empty name or zone list. */
export function normalizeRegion(spec: RegionSpec): Region {
  if (!spec.name) throw new Error('region name must be non-empty');
  const zones = spec.availabilityZones ?? [spec.name];
  if (zones.length === 0) throw new Error(`region ${spec.name}: availabilityZones must be non-empty`);
  return {
    name: spec.name,
    availabilityZones: [...zones],
    compute: spec.compute ?? true,
    volume: spec.volume === undefined ? 'volumev3' : spec.volume,
    image: spec.image ?? true,
  };
}

/** The regions of the cascading deployment; mutable at runtime. */
export class RegionRegistry {
  readonly #regions = new Map<string, Region>();

  /** @param specs a count (`RegionOne`...) or explicit specs */
  constructor(specs: number | readonly RegionSpec[]) {
    const list =
      typeof specs === 'number' ? Array.from({ length: specs }, (_, i) => ({ name: regionName(i) })) : specs;
    for (const spec of list) this.add(spec);
  }

  /** Adds (or replaces) a region. */
  add(spec: RegionSpec): Region {
    const region = normalizeRegion(spec);
    this.#regions.set(region.name, region);
    return region;
  }

  /** Removes a region; false when unknown. */
  remove(name: string): boolean {
    return this.#regions.delete(name);
  }

  /** One region, if present. */
  get(name: string): Region | undefined {
    return this.#regions.get(name);
  }

  /** All regions in insertion order. */
  list(): Region[] {
    return [...this.#regions.values()];
  }
}
