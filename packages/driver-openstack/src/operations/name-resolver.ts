import { BrokerError, type Clock } from '@hybrid-broker/core';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import { type ServiceEndpoints, withVersion } from '../keystone/service-endpoints.js';
import type { NovaClient } from '../nova/nova-client.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const named = z.array(z.looseObject({ id: z.string(), name: z.string().nullish() }));
const imageList = z.looseObject({ images: named });
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
 * Turns image, flavor and network names into ids: images through Glance
 * (`/v2/images?name=`), flavors through Nova (`/flavors/detail`, by id then
 * name), networks through Neutron (`/v2.0/networks?name=`). A UUID is taken
 * as an id without a request. An unknown or ambiguous name is an
 * `invalid-request` naming the field.
 */
export class NameResolver {
  readonly #options: NameResolverOptions;
  readonly #cache = new Map<string, { id: string; at: number }>();

  constructor(options: NameResolverOptions) {
    this.#options = options;
  }

  /** The image id of an id or name. */
  image(ref: string, signal?: AbortSignal): Promise<string> {
    if (UUID.test(ref)) return Promise.resolve(ref);
    return this.#cached(`image:${ref}`, async () => {
      const base = withVersion(await this.#options.endpoints.url('image', signal), '/v2');
      const url = `${base}/images?name=${encodeURIComponent(ref)}`;
      const response = await this.#options.http.send({ method: 'GET', url, service: 'glance', signal });
      return single('image', ref, parseBody(imageList, response.body, 'glance image list').images);
    });
  }

  /** The flavor id of an id or name. */
  flavor(ref: string, signal?: AbortSignal): Promise<string> {
    return this.#cached(`flavor:${ref}`, async () => {
      const flavors = await this.#options.nova.listFlavors(signal);
      const byId = flavors.find((f) => f.id === ref);
      if (byId) return byId.id;
      return single(
        'flavor',
        ref,
        flavors.filter((f) => f.name === ref),
        flavors.map((f) => f.name),
      );
    });
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
  known?: readonly string[],
): string {
  const kind = field === 'networks' ? 'network' : field;
  const exact = matches.filter((m) => m.name === ref || m.id === ref);
  const first = exact[0];
  if (exact.length === 1 && first) return first.id;
  if (exact.length > 1) {
    throw new BrokerError(
      'invalid-request',
      `${kind} name "${ref}" is ambiguous (${exact.map((m) => m.id).join(', ')}); give the id`,
      { field },
    );
  }
  const hint = known && known.length > 0 ? `; known: ${known.slice(0, 20).join(', ')}` : '';
  throw new BrokerError('invalid-request', `${kind} "${ref}" not found${hint}`, { field, statusCode: 404 });
}
