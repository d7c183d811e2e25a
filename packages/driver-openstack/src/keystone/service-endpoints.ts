import type { EndpointInterface, ServiceName } from '../common/openstack-config.js';
import type { TokenProvider } from '../http/http-types.js';
import { type EndpointQuery, findEndpoint, substituteProjectId } from './catalog.js';
import type { KeystoneToken } from './keystone-request.js';

/** Where a driver's services are: region, interface preference and overrides. */
export interface EndpointSettings {
  readonly region?: string | undefined;
  readonly interfaces: readonly EndpointInterface[];
  /** URLs that replace the catalog's (NAT, proxies); `$(project_id)s` is substituted. */
  readonly overrides?: Partial<Record<ServiceName, string>> | undefined;
}

/**
 * The base URL of each service, from the current token's catalog (or an
 * override), without a trailing slash. Looked up once per token: a renewed
 * token brings its own catalog.
 */
export class ServiceEndpoints {
  readonly #auth: TokenProvider<KeystoneToken>;
  readonly #settings: EndpointSettings;
  readonly #cache = new WeakMap<KeystoneToken, Map<ServiceName, string>>();

  constructor(auth: TokenProvider<KeystoneToken>, settings: EndpointSettings) {
    this.#auth = auth;
    this.#settings = settings;
  }

  /** The region these endpoints are in, if one was set. */
  get region(): string | undefined {
    return this.#settings.region;
  }

  /** The base URL of `service`. */
  async url(service: ServiceName, signal?: AbortSignal): Promise<string> {
    return this.#lookup(await this.#auth.token(signal), service);
  }

  /**
   * `use(base)` with the base URL of `service`: at once when the token is fresh (the usual
   * case, no promise awaited), else once `url()` has it. Never throws: a failed lookup, or a
   * throw in `use`, is a rejection, as from an async function.
   */
  at<T>(
    service: ServiceName,
    signal: AbortSignal | undefined,
    use: (base: string) => Promise<T>,
  ): Promise<T> {
    try {
      const token = this.#auth.fresh?.();
      return token ? use(this.#lookup(token, service)) : this.url(service, signal).then(use);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #lookup(token: KeystoneToken, service: ServiceName): string {
    let perToken = this.#cache.get(token);
    if (!perToken) {
      perToken = new Map();
      this.#cache.set(token, perToken);
    }
    const cached = perToken.get(service);
    if (cached !== undefined) return cached;
    const override = this.#settings.overrides?.[service];
    const query: EndpointQuery = {
      service,
      region: this.#settings.region,
      interfaces: this.#settings.interfaces,
      projectId: token.projectId,
    };
    const found =
      override !== undefined
        ? substituteProjectId(override, token.projectId)
        : findEndpoint(token.catalog, query);
    const url = found.replace(/\/+$/, '');
    perToken.set(service, url);
    return url;
  }
}

/** Appends `version` (e.g. `/v2`) to a versionless base URL, as Glance and Neutron catalogs usually are. */
export function withVersion(base: string, version: string): string {
  return base.endsWith(version) ? base : `${base}${version}`;
}
