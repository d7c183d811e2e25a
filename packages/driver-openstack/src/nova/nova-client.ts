import { isBrokerError } from '@hybrid-broker/core';
import { z } from 'zod';
import { linksSchema, nextMarker, nextPage, pagePath } from '../common/paging.js';
import { parseBody } from '../common/parse-body.js';
import type { OpenStackHttpClient } from '../http/http-client.js';
import type { HttpRequest, HttpResponse } from '../http/http-types.js';
import type { ServiceEndpoints } from '../keystone/service-endpoints.js';
import { fastNovaServer, fastNovaVolumeAttachment } from './nova-guards.js';
import {
  type NovaFlavor,
  type NovaServer,
  type NovaVolumeAttachment,
  novaFlavorSchema,
  novaServerSchema,
  novaVolumeAttachmentSchema,
} from './nova-schemas.js';

/** The body of `POST /servers` (`server` object) as the broker sends it. */
export interface NovaCreateServer {
  readonly name: string;
  readonly imageRef: string;
  readonly flavorRef: string;
  readonly networks?: readonly { uuid: string }[] | 'auto' | 'none';
  readonly security_groups?: readonly { name: string }[];
  readonly availability_zone?: string;
  readonly user_data?: string;
  readonly key_name?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

const serverBody = z.looseObject({ server: novaServerSchema });
const serverList = z.looseObject({ servers: z.array(novaServerSchema), servers_links: linksSchema });
const flavorList = z.looseObject({ flavors: z.array(novaFlavorSchema), flavors_links: linksSchema });
const createdBody = z.looseObject({ server: z.looseObject({ id: z.string() }) });
const attachmentBody = z.looseObject({ volumeAttachment: novaVolumeAttachmentSchema });

// Lists are followed to the end, but a service that keeps handing out "next" must not loop forever.
const MAX_PAGES = 1_000;

/** Nova (compute) calls the driver makes, with the configured microversion on every request. */
export class NovaClient {
  readonly #http: OpenStackHttpClient;
  readonly #endpoints: ServiceEndpoints;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(http: OpenStackHttpClient, endpoints: ServiceEndpoints, microversion: string) {
    this.#http = http;
    this.#endpoints = endpoints;
    // Both headers: the generic one for current Nova, the legacy one for releases before Newton's.
    this.#headers = {
      'OpenStack-API-Version': `compute ${microversion}`,
      'X-OpenStack-Nova-API-Version': microversion,
    };
  }

  /** `GET /servers/{id}`. */
  getServer(id: string, signal?: AbortSignal): Promise<NovaServer> {
    // A chain, not an async function: read on every poll.
    return this.#send({ method: 'GET', path: `/servers/${encodeURIComponent(id)}`, signal }).then(
      ({ body }) =>
        fastNovaServer((body as { server?: unknown } | undefined)?.server) ??
        parseBody(serverBody, body, 'nova server').server,
    );
  }

  /**
   * Every server of the project (`GET /servers/detail`, following `servers_links` to the end),
   * narrowed by Nova's own filters when `query` has any (e.g. `name`, a regular expression).
   */
  async listServers(signal?: AbortSignal, query?: URLSearchParams): Promise<NovaServer[]> {
    const all: NovaServer[] = [];
    let path: string | undefined =
      query && query.size > 0 ? `/servers/detail?${query.toString()}` : '/servers/detail';
    for (let page = 0; path !== undefined && page < MAX_PAGES; page++) {
      const body = parseBody(
        serverList,
        (await this.#send({ method: 'GET', path, signal })).body,
        'nova server list',
      );
      all.push(...body.servers);
      path = nextPage('/servers/detail', body.servers_links, body.servers.length);
    }
    return all;
  }

  /** One page of `GET /servers/detail` (Nova's `limit` and `marker`), and the next page's marker. */
  async listServersPage(
    query: URLSearchParams,
    marker: string | undefined,
    limit: number | undefined,
    signal?: AbortSignal,
  ): Promise<{ servers: NovaServer[]; next: string | undefined }> {
    const path = pagePath('/servers/detail', query, marker, limit);
    const body = parseBody(
      serverList,
      (await this.#send({ method: 'GET', path, signal })).body,
      'nova server list',
    );
    return { servers: body.servers, next: nextMarker(body.servers_links, body.servers.length) };
  }

  /** Every flavor (`GET /flavors/detail`, following `flavors_links`). */
  async listFlavors(signal?: AbortSignal): Promise<NovaFlavor[]> {
    const all: NovaFlavor[] = [];
    let path: string | undefined = '/flavors/detail';
    for (let page = 0; path !== undefined && page < MAX_PAGES; page++) {
      const body = parseBody(
        flavorList,
        (await this.#send({ method: 'GET', path, signal })).body,
        'nova flavor list',
      );
      all.push(...body.flavors);
      path = nextPage('/flavors/detail', body.flavors_links, body.flavors.length);
    }
    return all;
  }

  /**
   * `POST /servers`; returns the new server's id. Never repeated after a lost response unless `idempotent`.
   * `hints` go beside `server` as `os:scheduler_hints` (e.g. `{ group: <server group id> }`).
   */
  async createServer(
    server: NovaCreateServer,
    signal: AbortSignal | undefined,
    idempotent: boolean,
    hints?: Readonly<Record<string, string>>,
  ): Promise<string> {
    const { body } = await this.#send({
      method: 'POST',
      path: '/servers',
      body: hints === undefined ? { server } : { server, 'os:scheduler_hints': hints },
      signal,
      idempotent,
    });
    // The response may carry adminPass: only the id is kept.
    return parseBody(createdBody, body, 'nova create server').server.id;
  }

  /** `DELETE /servers/{id}`. */
  async deleteServer(id: string, signal?: AbortSignal): Promise<void> {
    await this.#send({ method: 'DELETE', path: `/servers/${encodeURIComponent(id)}`, signal });
  }

  /** `POST /servers/{id}/os-volume_attachments`. */
  async attachVolume(
    serverId: string,
    volumeId: string,
    device: string | undefined,
    signal?: AbortSignal,
  ): Promise<NovaVolumeAttachment> {
    const volumeAttachment = { volumeId, ...(device === undefined ? {} : { device }) };
    const { body } = await this.#send({
      method: 'POST',
      path: `/servers/${encodeURIComponent(serverId)}/os-volume_attachments`,
      body: { volumeAttachment },
      signal,
    });
    const fast = fastNovaVolumeAttachment(
      (body as { volumeAttachment?: unknown } | undefined)?.volumeAttachment,
    );
    return fast ?? parseBody(attachmentBody, body, 'nova volume attachment').volumeAttachment;
  }

  /**
   * Whether Nova still lists `volumeId` on the server
   * (`GET /servers/{id}/os-volume_attachments/{volumeId}`; a 404 means no).
   */
  async hasVolumeAttachment(serverId: string, volumeId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#send({
        method: 'GET',
        path: `/servers/${encodeURIComponent(serverId)}/os-volume_attachments/${encodeURIComponent(volumeId)}`,
        signal,
      });
      return true;
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return false;
      throw error;
    }
  }

  /** `DELETE /servers/{id}/os-volume_attachments/{volumeId}`. */
  async detachVolume(serverId: string, volumeId: string, signal?: AbortSignal): Promise<void> {
    await this.#send({
      method: 'DELETE',
      path: `/servers/${encodeURIComponent(serverId)}/os-volume_attachments/${encodeURIComponent(volumeId)}`,
      signal,
    });
  }

  /** A compute request outside the server calls (server groups use it), with this client's microversion. */
  send(request: {
    method: HttpRequest['method'];
    path: string;
    body?: unknown;
    signal: AbortSignal | undefined;
  }): Promise<HttpResponse> {
    return this.#send(request);
  }

  // Never throws: a failed endpoint lookup is a rejection, as from an async function.
  #send(request: {
    method: HttpRequest['method'];
    path: string;
    body?: unknown;
    signal: AbortSignal | undefined;
    idempotent?: boolean;
  }): Promise<HttpResponse> {
    return this.#endpoints.at('compute', request.signal, (base) =>
      this.#http.send({
        method: request.method,
        url: `${base}${request.path}`,
        service: 'nova',
        endpoint: base,
        headers: this.#headers,
        signal: request.signal,
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.idempotent === undefined ? {} : { idempotent: request.idempotent }),
      }),
    );
  }
}
