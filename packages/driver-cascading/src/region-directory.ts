import { BrokerError } from '@hybrid-broker/core';
import { KeyedMutex } from '@hybrid-broker/core/driver-kit';
import type { ServiceName } from '@hybrid-broker/driver-openstack';
import {
  type KeystoneAuth,
  type KeystoneToken,
  type OpenStackDriver,
  SERVICE_TYPE_ALIASES,
} from '@hybrid-broker/driver-openstack/layers';
import {
  type CascadedRegion,
  type DiscoveryOptions,
  discoverRegions,
  type RegionTable,
} from './region-discovery.js';

/** How a directory is built. */
export interface RegionDirectoryOptions {
  /** The one Keystone session every region shares (only its tokens are read here). */
  readonly auth: Pick<KeystoneAuth, 'token'>;
  readonly discovery: DiscoveryOptions;
  /** Builds the OpenStack driver of one region (on the shared session). */
  readonly createDriver: (region: string) => OpenStackDriver;
}

/** A usable region: what it offers, its driver, and the lock its attaches and detaches share. */
export interface RegionHandle {
  readonly info: CascadedRegion;
  readonly driver: OpenStackDriver;
  /** Per provider server id; shared by the cascading driver and `region(name)` handles. */
  readonly mutex: KeyedMutex;
}

const SERVICE_LABEL: Readonly<Record<ServiceName, string>> = {
  compute: 'compute (Nova)',
  volume: `volume (Cinder: catalog type ${SERVICE_TYPE_ALIASES.volume.join(', ')})`,
  image: 'image (Glance)',
  network: 'network (Neutron)',
};

/**
 * The cascaded regions of the current token's catalog. The catalog is read
 * again whenever KeystoneAuth holds a new token (renewal or re-auth), so a
 * region that appears or disappears is seen without a restart; concurrent
 * callers share KeystoneAuth's single-flight token and so one discovery.
 * Region drivers are built on first use and dropped with their region.
 */
export class RegionDirectory {
  readonly #options: RegionDirectoryOptions;
  readonly #drivers = new Map<string, OpenStackDriver>();
  // Kept when a region leaves the catalog: a lock must outlive any call still holding it.
  readonly #mutexes = new Map<string, KeyedMutex>();
  #token: KeystoneToken | undefined;
  #table: RegionTable | undefined;
  #version = 0;

  constructor(options: RegionDirectoryOptions) {
    this.#options = options;
  }

  /** How many times a catalog was read (one per token seen). */
  get catalogVersion(): number {
    return this.#version;
  }

  /** The regions of the current token's catalog (authenticating first if needed). */
  async table(signal?: AbortSignal): Promise<RegionTable> {
    const token = await this.#options.auth.token(signal);
    if (token === this.#token && this.#table) return this.#table;
    const table = discoverRegions(token.catalog, this.#options.discovery);
    this.#token = token;
    this.#table = table;
    this.#version++;
    for (const name of this.#drivers.keys()) if (!table.regions.has(name)) this.#drivers.delete(name);
    return table;
  }

  /**
   * The region `name`, checked to offer every service in `needs`; otherwise an
   * `invalid-request` naming `field`, the region and what it lacks.
   */
  async handle(
    name: string,
    needs: readonly ServiceName[],
    field: string,
    signal?: AbortSignal,
  ): Promise<RegionHandle> {
    const table = await this.table(signal);
    const info = table.regions.get(name);
    if (!info) throw unknownRegion(name, table, field);
    const lacking = needs.filter((service) => !info.services.includes(service));
    if (lacking.length > 0) throw lackingServices(info, lacking, this.#options.discovery.interfaces, field);
    let driver = this.#drivers.get(name);
    if (!driver) {
      driver = this.#options.createDriver(name);
      this.#drivers.set(name, driver);
    }
    return { info, driver, mutex: this.mutex(name) };
  }

  /** The attach/detach lock of a region's servers (by provider server id). */
  mutex(name: string): KeyedMutex {
    let mutex = this.#mutexes.get(name);
    if (!mutex) {
      mutex = new KeyedMutex();
      this.#mutexes.set(name, mutex);
    }
    return mutex;
  }
}

/**
 * The region is in the catalog but lacks services at the chosen interfaces:
 * say which, and where the catalog does offer them, as driver-openstack's
 * endpoint error does. A region reachable only at another interface is
 * named as such, never as absent.
 */
function lackingServices(
  info: CascadedRegion,
  lacking: readonly ServiceName[],
  interfaces: readonly string[],
  field: string,
): BrokerError {
  const elsewhere = lacking.flatMap((service) => {
    const at = info.otherInterfaces?.[service];
    return at ? [`${service} at interface ${at.join(', ')}`] : [];
  });
  return new BrokerError(
    'invalid-request',
    `region "${info.name}" offers no ${lacking.map((s) => SERVICE_LABEL[s]).join(' and no ')} ` +
      `at interface ${interfaces.join(' or ')}; at those it offers: ` +
      `${info.services.join(', ') || 'nothing the broker uses'}` +
      (elsewhere.length > 0
        ? `; the catalog has ${elsewhere.join(', ')} (add it to the platform's interfaces setting)`
        : ''),
    { field },
  );
}

function unknownRegion(name: string, table: RegionTable, field: string): BrokerError {
  if (table.filteredOut.has(name)) {
    return new BrokerError(
      'invalid-request',
      `region "${name}" is excluded by this platform's regions filter`,
      { field },
    );
  }
  const names = [...table.regions.keys()];
  const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, ... (${names.length} in all)` : '');
  return new BrokerError(
    'invalid-request',
    `region "${name}" is not in the catalog; known regions: ${shown || 'none'}`,
    { field },
  );
}
