import type { Clock } from '../clock.js';
import { BrokerError } from '../errors.js';
import type { Flavor, FlavorFilter, Image, ImageFilter } from './catalog-types.js';

/** The createServer fields a catalog name can stand in. */
export type CatalogField = 'image' | 'flavor';

/** How many known names a not-found message lists: enough to spot a typo, short enough to read. */
const KNOWN_NAMES = 10;

/**
 * The one rule by which createServer's `image` and `flavor` name an entry, on every driver:
 * an entry whose id is `ref`, else the one entry whose name is exactly `ref`. None is an
 * `invalid-request` naming the field and a few known names; more than one is an
 * `invalid-request` naming the field and the ids to choose from.
 */
export function pickCatalogEntry(
  field: CatalogField,
  ref: string,
  entries: readonly { readonly id: string; readonly name: string }[],
): string {
  const byId = entries.find((e) => e.id === ref);
  if (byId) return byId.id;
  const named = entries.filter((e) => e.name === ref);
  const first = named[0];
  if (named.length === 1 && first) return first.id;
  if (named.length > 1) {
    const ids = named.map((e) => e.id).join(', ');
    throw new BrokerError(
      'invalid-request',
      `${field} name "${ref}" matches ${named.length} ${field}s (${ids}); give the id`,
      { field },
    );
  }
  throw new BrokerError('invalid-request', `${field} "${ref}" not found${knownNames(entries)}`, { field });
}

function knownNames(entries: readonly { readonly name: string }[]): string {
  const names = [...new Set(entries.map((e) => e.name).filter((n) => n !== ''))];
  if (names.length === 0) return '';
  const more = names.length > KNOWN_NAMES ? ` and ${names.length - KNOWN_NAMES} more` : '';
  return `; known: ${names.slice(0, KNOWN_NAMES).join(', ')}${more}`;
}

/** What a driver gives CatalogNames: its list primitives and what needs no look-up. */
export interface CatalogNamesOptions {
  readonly clock: Clock;
  /** How long a resolved name is remembered; 0 turns the cache off. */
  readonly ttlMs: number;
  readonly listImages: (filter: ImageFilter, signal?: AbortSignal) => Promise<readonly Image[]>;
  readonly listFlavors: (filter: FlavorFilter, signal?: AbortSignal) => Promise<readonly Flavor[]>;
  /** True for a ref taken as an image id without a request (a UUID, an AMI id). */
  readonly isImageId?: (ref: string) => boolean;
  /** True for a ref taken as a flavor id without a request (an EC2 instance type, an Azure size). */
  readonly isFlavorId?: (ref: string) => boolean;
}

/**
 * Resolves createServer's `image` and `flavor` by {@link pickCatalogEntry} through a
 * driver's own `listImages` and `listFlavors`, remembering each answer for `ttlMs`.
 * An image name is first looked up with the cloud's name filter (one narrow request);
 * only when that finds nothing is the whole list read, for the id rule and the known names.
 */
export class CatalogNames {
  readonly #options: CatalogNamesOptions;
  readonly #cache = new Map<string, { id: string; at: number }>();

  constructor(options: CatalogNamesOptions) {
    this.#options = options;
  }

  /** The image id `ref` names. */
  image(ref: string, signal?: AbortSignal): Promise<string> {
    if (this.#options.isImageId?.(ref) === true) return Promise.resolve(ref);
    return this.#cached(`image:${ref}`, async () => {
      const named = await this.#options.listImages({ name: ref }, signal);
      if (named.length > 0) return pickCatalogEntry('image', ref, named);
      return pickCatalogEntry('image', ref, await this.#options.listImages({}, signal));
    });
  }

  /** The flavor id `ref` names. */
  flavor(ref: string, signal?: AbortSignal): Promise<string> {
    if (this.#options.isFlavorId?.(ref) === true) return Promise.resolve(ref);
    return this.#cached(`flavor:${ref}`, async () =>
      pickCatalogEntry('flavor', ref, await this.#options.listFlavors({}, signal)),
    );
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
