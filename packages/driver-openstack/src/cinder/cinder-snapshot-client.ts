import { z as zod } from 'zod';
import { linksSchema, nextPage, pagePath } from '../common/paging.js';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import type { ServiceEndpoints } from '../keystone/service-endpoints.js';

/** A Cinder snapshot as `GET /snapshots/{id}` returns it (fields the broker reads). */
export const cinderSnapshotSchema = zod.looseObject({
  id: zod.string(),
  name: zod.string().nullish(),
  status: zod.string(),
  size: zod.number(),
  volume_id: zod.string(),
  metadata: zod.record(zod.string(), zod.string()).nullish(),
  created_at: zod.string().nullish(),
  'os-extended-snapshot-attributes:progress': zod.string().nullish(),
});

/** A Cinder snapshot body. */
export type CinderSnapshot = zod.infer<typeof cinderSnapshotSchema>;

const snapshotBody = zod.looseObject({ snapshot: cinderSnapshotSchema });
const snapshotList = zod.looseObject({
  snapshots: zod.array(cinderSnapshotSchema),
  snapshots_links: linksSchema,
});

/** The body of `POST /snapshots` (every field is v3.0's). */
export interface CinderCreateSnapshot {
  readonly volume_id: string;
  readonly name: string;
  /** Needed for an in-use volume below microversion 3.66 (no header is sent: 3.0). */
  readonly force?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Cinder's snapshot list filters (exact matches on its side). */
export interface CinderSnapshotQuery {
  readonly volumeId?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

// As for volume lists: followed to the end, but never forever.
const MAX_PAGES = 1_000;

/**
 * Cinder drops the `metadata` filter of a snapshot list below microversion 3.22 (it would
 * answer every snapshot), so the lists ask for 3.22, in Cinder's own header only: Cinder
 * refuses a header naming another service.
 */
const LIST_HEADERS = { 'OpenStack-API-Version': 'volume 3.22' } as const;

/** Cinder's snapshot calls (block storage v3 `/snapshots`). */
export class CinderSnapshotClient {
  readonly #http: OpenStackHttpClient;
  readonly #endpoints: ServiceEndpoints;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints) {
    this.#http = http;
    this.#endpoints = endpoints;
  }

  /** `GET /snapshots/{id}`; a 404 is `not-found`. */
  async get(id: string, signal?: AbortSignal): Promise<CinderSnapshot> {
    const body = await this.#send('GET', `/snapshots/${encodeURIComponent(id)}`, signal);
    return parseBody(snapshotBody, body, 'cinder snapshot').snapshot;
  }

  /** `GET /snapshots/detail` with Cinder's filters, following `snapshots_links` to the end. */
  async list(query: CinderSnapshotQuery, signal?: AbortSignal): Promise<CinderSnapshot[]> {
    const params = new URLSearchParams();
    if (query.volumeId !== undefined) params.set('volume_id', query.volumeId);
    // A JSON object of pairs that must all match (Cinder reads it as a Python literal).
    if (query.metadata !== undefined) params.set('metadata', JSON.stringify(query.metadata));
    const all: CinderSnapshot[] = [];
    let path: string | undefined = pagePath('/snapshots/detail', params, undefined, undefined);
    for (let page = 0; path !== undefined && page < MAX_PAGES; page++) {
      const body = await this.#send('GET', path, signal, { headers: LIST_HEADERS });
      const parsed = parseBody(snapshotList, body, 'cinder snapshot list');
      all.push(...parsed.snapshots);
      path = nextPage('/snapshots/detail', parsed.snapshots_links, parsed.snapshots.length);
    }
    return all;
  }

  /** `POST /snapshots` (202, `creating`); never repeated after a lost response, as for volumes. */
  async create(snapshot: CinderCreateSnapshot, signal?: AbortSignal): Promise<CinderSnapshot> {
    const body = await this.#send('POST', '/snapshots', signal, { body: { snapshot } });
    return parseBody(snapshotBody, body, 'cinder snapshot').snapshot;
  }

  /** `DELETE /snapshots/{id}` (202); a 404 is the caller's to read as already gone. */
  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.#send('DELETE', `/snapshots/${encodeURIComponent(id)}`, signal);
  }

  async #send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    signal: AbortSignal | undefined,
    extra: { body?: unknown; headers?: Readonly<Record<string, string>> } = {},
  ): Promise<unknown> {
    const { body } = await this.#endpoints.at('volume', signal, (base) =>
      this.#http.send({ method, url: `${base}${path}`, service: 'cinder', endpoint: base, signal, ...extra }),
    );
    return body;
  }
}
