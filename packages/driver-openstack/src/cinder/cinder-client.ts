import { z as zod } from 'zod';
import { linksSchema, nextMarker, nextPage, pagePath } from '../common/paging.js';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import type { HttpResponse } from '../http/http-types.js';
import type { ServiceEndpoints } from '../keystone/service-endpoints.js';
import { fastCinderVolume } from './cinder-guards.js';
import { type CinderVolume, cinderVolumeSchema } from './cinder-schemas.js';
import { CinderSnapshotClient } from './cinder-snapshot-client.js';

const volumeBody = zod.looseObject({ volume: cinderVolumeSchema });
const volumeList = zod.looseObject({ volumes: zod.array(cinderVolumeSchema), volumes_links: linksSchema });
const snapshotList = zod.looseObject({
  snapshots: zod.array(zod.looseObject({ id: zod.string(), name: zod.string().nullish() })),
});

/** The body of `POST /volumes` (Cinder v3 at its base microversion: every field here is 3.0's). */
export interface CinderCreateVolume {
  readonly name: string;
  readonly size: number;
  readonly availability_zone: string;
  readonly volume_type?: string;
  readonly snapshot_id?: string;
  readonly imageRef?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

// As for Nova lists: followed to the end, but never forever.
const MAX_PAGES = 1_000;

/** Cinder's own list filters (exact matches on its side). */
export interface CinderVolumeQuery {
  readonly name?: string | undefined;
  readonly status?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** Cinder's query parameters for `query`. */
function cinderParams(query: CinderVolumeQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.name !== undefined) params.set('name', query.name);
  if (query.status !== undefined) params.set('status', query.status);
  // Cinder's `metadata` filter is a JSON object of pairs that must all match.
  if (query.metadata !== undefined) params.set('metadata', JSON.stringify(query.metadata));
  return params;
}

/** Cinder (block storage) calls the driver makes. */
export class CinderClient {
  readonly #http: OpenStackHttpClient;
  readonly #endpoints: ServiceEndpoints;
  /** The snapshot calls, over the same connection and endpoints. */
  readonly snapshots: CinderSnapshotClient;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints) {
    this.#http = http;
    this.#endpoints = endpoints;
    this.snapshots = new CinderSnapshotClient(http, endpoints);
  }

  /** `GET /volumes/{id}`: a chain, not an async function, since every attach and detach wait polls it. */
  getVolume(id: string, signal?: AbortSignal): Promise<CinderVolume> {
    return this.#endpoints.at('volume', signal, (base) =>
      this.#http
        .send({
          method: 'GET',
          url: `${base}/volumes/${encodeURIComponent(id)}`,
          service: 'cinder',
          endpoint: base,
          signal,
        })
        .then(
          ({ body }) =>
            fastCinderVolume((body as { volume?: unknown } | undefined)?.volume) ??
            parseBody(volumeBody, body, 'cinder volume').volume,
        ),
    );
  }

  /** `GET /volumes/detail` with Cinder's filters, following `volumes_links` to the end. */
  async listVolumes(query: CinderVolumeQuery, signal?: AbortSignal): Promise<CinderVolume[]> {
    const first = pagePath('/volumes/detail', cinderParams(query), undefined, undefined);
    const all: CinderVolume[] = [];
    let path: string | undefined = first;
    for (let page = 0; path !== undefined && page < MAX_PAGES; page++) {
      const url: string = path;
      const { body } = await this.#endpoints.at('volume', signal, (base) =>
        this.#http.send({ method: 'GET', url: `${base}${url}`, service: 'cinder', endpoint: base, signal }),
      );
      const parsed = parseBody(volumeList, body, 'cinder volume list');
      all.push(...parsed.volumes);
      path = nextPage('/volumes/detail', parsed.volumes_links, parsed.volumes.length);
    }
    return all;
  }

  /** One page of `GET /volumes/detail` (Cinder's `limit` and `marker`), and the next page's marker. */
  async listVolumesPage(
    query: CinderVolumeQuery,
    marker: string | undefined,
    limit: number | undefined,
    signal?: AbortSignal,
  ): Promise<{ volumes: CinderVolume[]; next: string | undefined }> {
    const url = pagePath('/volumes/detail', cinderParams(query), marker, limit);
    const { body } = await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({ method: 'GET', url: `${base}${url}`, service: 'cinder', endpoint: base, signal }),
    );
    const parsed = parseBody(volumeList, body, 'cinder volume list');
    return { volumes: parsed.volumes, next: nextMarker(parsed.volumes_links, parsed.volumes.length) };
  }

  /**
   * `POST /volumes` (202 with the volume, `creating`). Never repeated after a lost
   * response (a POST is not idempotent): the caller looks for its key's volume first.
   * No OpenStack-API-Version header: the fields are the base version's, and Cinder
   * refuses a header naming another service.
   */
  async createVolume(volume: CinderCreateVolume, signal?: AbortSignal): Promise<CinderVolume> {
    const { body } = await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        method: 'POST',
        url: `${base}/volumes`,
        service: 'cinder',
        endpoint: base,
        body: { volume },
        signal,
      }),
    );
    return parseBody(volumeBody, body, 'cinder volume').volume;
  }

  /** `DELETE /volumes/{id}` (202); a 404 is the caller's to read as already gone. */
  async deleteVolume(id: string, signal?: AbortSignal): Promise<void> {
    await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        method: 'DELETE',
        url: `${base}/volumes/${encodeURIComponent(id)}`,
        service: 'cinder',
        endpoint: base,
        signal,
      }),
    );
  }

  /** A GET of `path` with `headers` (the watch's changes lists ask for a microversion). */
  get(path: string, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<HttpResponse> {
    return this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        method: 'GET',
        url: `${base}${path}`,
        service: 'cinder',
        endpoint: base,
        headers,
        signal,
      }),
    );
  }

  /** `GET /snapshots?volume_id=…`: the snapshots of one volume (ids and names), first page. */
  async snapshotsOf(volumeId: string, signal?: AbortSignal): Promise<{ id: string; name?: string | null }[]> {
    const query = new URLSearchParams({ volume_id: volumeId });
    const { body } = await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        method: 'GET',
        url: `${base}/snapshots?${query.toString()}`,
        service: 'cinder',
        endpoint: base,
        signal,
      }),
    );
    return parseBody(snapshotList, body, 'cinder snapshot list').snapshots;
  }

  /**
   * `POST /volumes/{id}/action` with `{"os-force_detach": {"attachment_id": …}}` (Cinder's
   * volume actions API; 202, no body). Admin-only under Cinder's default policy
   * (`volume_extension:volume_admin_actions:force_detach`: `rule:admin_api`); a 403 from the
   * policy check is told apart by the caller. Not idempotent in Cinder's eyes, but a repeat
   * of one whose answer was lost only finds the attachment gone, so it is safe to resend.
   */
  async forceDetach(volumeId: string, attachmentId: string | undefined, signal?: AbortSignal): Promise<void> {
    const action = attachmentId === undefined ? {} : { attachment_id: attachmentId };
    await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        method: 'POST',
        url: `${base}/volumes/${encodeURIComponent(volumeId)}/action`,
        service: 'cinder',
        endpoint: base,
        body: { 'os-force_detach': action },
        idempotent: true,
        signal,
      }),
    );
  }

  /**
   * `POST /volumes/{id}/metadata` (a merge: other keys stay) or, with `removeKey`,
   * `DELETE /volumes/{id}/metadata/{key}`. Both are safe to resend; no microversion header.
   */
  async changeMetadata(id: string, change: CinderMetadataChange, signal?: AbortSignal): Promise<void> {
    const path = `/volumes/${encodeURIComponent(id)}/metadata`;
    await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({
        ...('set' in change
          ? { method: 'POST' as const, url: `${base}${path}`, body: { metadata: change.set } }
          : { method: 'DELETE' as const, url: `${base}${path}/${encodeURIComponent(change.removeKey)}` }),
        service: 'cinder',
        endpoint: base,
        idempotent: true,
        signal,
      }),
    );
  }
}

/** One Cinder metadata request: pairs to merge in, or one key to delete. */
export type CinderMetadataChange =
  | { readonly set: Readonly<Record<string, string>> }
  | { readonly removeKey: string };
