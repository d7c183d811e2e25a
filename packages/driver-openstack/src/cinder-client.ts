import type { z } from 'zod';
import { z as zod } from 'zod';
import { fastCinderVolume } from './body-guards.js';
import type { OpenStackHttpClient } from './http-client.js';
import { parseBody } from './nova-schemas.js';
import type { ServiceEndpoints } from './service-endpoints.js';

/** One attachment as a Cinder volume lists it. */
export const cinderAttachmentSchema = zod.looseObject({
  server_id: zod.string(),
  attachment_id: zod.string().optional(),
  id: zod.string().optional(),
  volume_id: zod.string().optional(),
  device: zod.string().nullish(),
  host_name: zod.string().nullish(),
  attached_at: zod.string().nullish(),
});

/** A Cinder volume as `GET /volumes/{id}` returns it (fields the broker reads). */
export const cinderVolumeSchema = zod.looseObject({
  id: zod.string(),
  name: zod.string().nullish(),
  status: zod.string(),
  size: zod.number(),
  availability_zone: zod.string().nullish(),
  multiattach: zod.boolean().nullish(),
  attachments: zod.array(cinderAttachmentSchema).default([]),
});

/** A Cinder volume body. */
export type CinderVolume = z.infer<typeof cinderVolumeSchema>;

const volumeBody = zod.looseObject({ volume: cinderVolumeSchema });

/** Cinder (block storage) calls the driver makes. */
export class CinderClient {
  readonly #http: OpenStackHttpClient;
  readonly #endpoints: ServiceEndpoints;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints) {
    this.#http = http;
    this.#endpoints = endpoints;
  }

  /** `GET /volumes/{id}`: a chain, not an async function, since every attach and detach wait polls it. */
  getVolume(id: string, signal?: AbortSignal): Promise<CinderVolume> {
    return this.#endpoints.at('volume', signal, (base) =>
      this.#http
        .send({ method: 'GET', url: `${base}/volumes/${encodeURIComponent(id)}`, service: 'cinder', signal })
        .then(
          ({ body }) =>
            fastCinderVolume((body as { volume?: unknown } | undefined)?.volume) ??
            parseBody(volumeBody, body, 'cinder volume').volume,
        ),
    );
  }
}
