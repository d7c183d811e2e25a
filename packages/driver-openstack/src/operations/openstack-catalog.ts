import type { Flavor, FlavorFilter, Image, ImageFilter } from '@hybrid-broker/core';
import { flavorMatches, imageMatches } from '@hybrid-broker/core/driver-kit';
import { GlanceClient, glanceStatusOf, toImage } from '../glance/glance-client.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import type { ServiceEndpoints } from '../keystone/service-endpoints.js';
import type { NovaClient } from '../nova/nova-client.js';
import type { NovaFlavor } from '../nova/nova-schemas.js';

/**
 * One region's images (Glance v2, found as `image` in the Keystone catalog) and flavors
 * (Nova `/flavors/detail`), every page read. Glance's own `name` and `status` filters narrow
 * the pages; core's filter check decides (Glance has no word for `pending` alone).
 */
export class OpenStackCatalog {
  readonly #glance: GlanceClient;
  readonly #nova: NovaClient;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints, nova: NovaClient) {
    this.#glance = new GlanceClient(http, endpoints);
    this.#nova = nova;
  }

  /** The images that match `filter`, tagged with `region`. */
  async listImages(filter: ImageFilter, region: string | undefined, signal?: AbortSignal): Promise<Image[]> {
    const query = { name: filter.name, status: glanceStatusOf(filter.status) };
    const found = await this.#glance.listImages(query, signal);
    return found.map((i) => toImage(i, region)).filter((i) => imageMatches(i, filter));
  }

  /** The flavors that match `filter`, tagged with `region`. */
  async listFlavors(
    filter: FlavorFilter,
    region: string | undefined,
    signal?: AbortSignal,
  ): Promise<Flavor[]> {
    const found = await this.#nova.listFlavors(signal);
    return found.map((f) => toFlavor(f, region)).filter((f) => flavorMatches(f, filter));
  }
}

function toFlavor(flavor: NovaFlavor, region: string | undefined): Flavor {
  return {
    id: flavor.id,
    name: flavor.name,
    vcpus: flavor.vcpus ?? 0,
    ramMiB: flavor.ram ?? 0,
    diskGiB: flavor.disk ?? 0,
    ...(region === undefined ? {} : { region }),
  };
}
