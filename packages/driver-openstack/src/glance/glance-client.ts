import type { Image, ImageStatus } from '@hybrid-broker/core';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import { type ServiceEndpoints, withVersion } from '../keystone/service-endpoints.js';

/** A Glance v2 image, as much of it as the broker reads. */
export const glanceImageSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  min_disk: z.number().nullish(),
  min_ram: z.number().nullish(),
});

/** A Glance v2 image body. */
export type GlanceImage = z.infer<typeof glanceImageSchema>;

const imageList = z.looseObject({ images: z.array(glanceImageSchema), next: z.string().nullish() });

// Lists are followed to the end, but a service that keeps handing out "next" must not loop forever.
const MAX_PAGES = 1_000;

/** Glance's own filters of `GET /v2/images` (it takes `name` and `status` exactly). */
export interface GlanceImageQuery {
  readonly name?: string | undefined;
  readonly status?: string | undefined;
}

/** Glance v2 (image) calls: read-only, no microversion header (Glance has none). */
export class GlanceClient {
  readonly #http: OpenStackHttpClient;
  readonly #endpoints: ServiceEndpoints;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints) {
    this.#http = http;
    this.#endpoints = endpoints;
  }

  /** Every image `query` selects (`GET /v2/images`, following `next` to the end). */
  async listImages(query: GlanceImageQuery, signal?: AbortSignal): Promise<GlanceImage[]> {
    const base = withVersion(await this.#endpoints.url('image', signal), '/v2');
    const params = new URLSearchParams();
    if (query.name !== undefined) params.set('name', query.name);
    if (query.status !== undefined) params.set('status', query.status);
    let url: string | undefined = `${base}/images${params.size > 0 ? `?${params.toString()}` : ''}`;
    const all: GlanceImage[] = [];
    for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
      const response = await this.#http.send({ method: 'GET', url, service: 'glance', signal });
      const body = parseBody(imageList, response.body, 'glance image list');
      all.push(...body.images);
      url = body.next && body.images.length > 0 ? nextUrl(base, body.next) : undefined;
    }
    return all;
  }
}

/**
 * The next page's URL: Glance's `next` is a path from its root (`/v2/images?marker=…`); only
 * its query is kept, on the endpoint we reach Glance at (its own idea of itself may be behind NAT).
 */
function nextUrl(base: string, next: string): string | undefined {
  try {
    return `${base}/images${new URL(next, 'http://placeholder').search}`;
  } catch {
    return undefined;
  }
}

const STATUS: Readonly<Record<string, ImageStatus>> = {
  active: 'available',
  queued: 'pending',
  saving: 'pending',
  uploading: 'pending',
  importing: 'pending',
  killed: 'error',
};

/** Glance's status for a normalized one, where one word says it (`available` is `active`). */
export function glanceStatusOf(status: ImageStatus | undefined): string | undefined {
  return status === 'available' ? 'active' : undefined;
}

/** A Glance image, normalized. Deactivated and deleted images are `unavailable`. */
export function toImage(image: GlanceImage, region: string | undefined): Image {
  const providerStatus = image.status ?? 'unknown';
  return {
    id: image.id,
    name: image.name ?? '',
    status: STATUS[providerStatus] ?? 'unavailable',
    providerStatus,
    minDiskGiB: image.min_disk ?? 0,
    minRamMiB: image.min_ram ?? 0,
    ...(region === undefined ? {} : { region }),
  };
}
