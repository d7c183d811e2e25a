import { BrokerError, type Clock } from '@hybrid-broker/core';
import { CatalogNames } from '@hybrid-broker/core/driver-kit';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import { type ServiceEndpoints, withVersion } from '../keystone/service-endpoints.js';
import type { NovaClient } from '../nova/nova-client.js';
import { OpenStackCatalog } from './openstack-catalog.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const named = z.array(z.looseObject({ id: z.string(), name: z.string().nullish() }));
const networkList = z.looseObject({ networks: named });

/** What resolves names to ids. */
export interface NameResolverOptions {
  readonly http: OpenStackHttpClient;
  readonly endpoints: ServiceEndpoints;
  readonly nova: NovaClient;
  readonly clock: Clock;
  /** How long a resolved name is remembered; 0 turns the cache off. */
  readonly ttlMs: number;
}

/**
 * Turns image, flavor and network names into ids. Images and flavors go by core's one rule
 * (CatalogNames over this region's Glance and Nova lists): a UUID is taken as an image id
 * without a request, an image name is asked of Glance (`/v2/images?name=`), a flavor is found
 * in Nova's `/flavors/detail` by id then name. Networks go through Neutron
 * (`/v2.0/networks?name=`). An unknown or ambiguous name is an `invalid-request` naming the field.
 */
export class NameResolver {
  /** This region's image and flavor lists, which the names are resolved through. */
  readonly catalog: OpenStackCatalog;
  readonly #options: NameResolverOptions;
  readonly #names: CatalogNames;
  readonly #cache = new Map<string, { id: string; at: number }>();

  constructor(options: NameResolverOptions) {
    this.#options = options;
    this.catalog = new OpenStackCatalog(options.http, options.endpoints, options.nova);
    this.#names = new CatalogNames({
      clock: options.clock,
      ttlMs: options.ttlMs,
      listImages: (filter, signal) => this.catalog.listImages(filter, undefined, signal),
      listFlavors: (filter, signal) => this.catalog.listFlavors(filter, undefined, signal),
      isImageId: (ref) => UUID.test(ref),
    });
  }

  /** The image id of an id or name. */
  image(ref: string, signal?: AbortSignal): Promise<string> {
    return this.#names.image(ref, signal);
  }

  /** The flavor id of an id or name. */
  flavor(ref: string, signal?: AbortSignal): Promise<string> {
    return this.#names.flavor(ref, signal);
  }

  /** The network id of an id or name. */
  network(ref: string, signal?: AbortSignal): Promise<string> {
    if (UUID.test(ref)) return Promise.resolve(ref);
    return this.#cached(`network:${ref}`, async () => {
      const base = withVersion(await this.#options.endpoints.url('network', signal), '/v2.0');
      const url = `${base}/networks?name=${encodeURIComponent(ref)}`;
      const response = await this.#options.http.send({ method: 'GET', url, service: 'neutron', signal });
      return single('networks', ref, parseBody(networkList, response.body, 'neutron network list').networks);
    });
  }

  async #cached(key: string, lookup: () => Promise<string>): Promise<string> {
    const now = this.#options.clock.now();
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < this.#options.ttlMs) return hit.id;
    const id = await lookup();
    if (this.#options.ttlMs > 0) this.#cache.set(key, { id, at: now });
    return id;
  }
}

function single(
  field: string,
  ref: string,
  matches: readonly { id: string; name?: string | null | undefined }[],
): string {
  const exact = matches.filter((m) => m.name === ref || m.id === ref);
  const first = exact[0];
  if (exact.length === 1 && first) return first.id;
  if (exact.length > 1) {
    throw new BrokerError(
      'invalid-request',
      `network name "${ref}" is ambiguous (${exact.map((m) => m.id).join(', ')}); give the id`,
      { field },
    );
  }
  throw new BrokerError('invalid-request', `network "${ref}" not found`, { field, statusCode: 404 });
}
