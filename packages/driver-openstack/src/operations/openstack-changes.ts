import type { ChangeList, Server, Volume } from '@hybrid-broker/core';
import { isBrokerError } from '@hybrid-broker/core';
import { z } from 'zod';
import type { CinderClient } from '../cinder/cinder-client.js';
import { type CinderVolume, cinderVolumeSchema } from '../cinder/cinder-schemas.js';
import { linksSchema, nextPage } from '../common/paging.js';
import { parseBody } from '../common/parse-body.js';
import type { HttpResponse } from '../http/http-types.js';
import type { NovaClient } from '../nova/nova-client.js';
import { type NovaServer, novaServerSchema } from '../nova/nova-schemas.js';
import { cloudTimeOf, decodeToken, encodeToken, sinceOf } from './changes-since.js';
import { toServer, toVolume } from './openstack-mapping.js';

const serverList = z.looseObject({ servers: z.array(novaServerSchema), servers_links: linksSchema });
const volumeList = z.looseObject({ volumes: z.array(cinderVolumeSchema), volumes_links: linksSchema });

// As for the other lists: followed to the end, but never forever.
const MAX_PAGES = 1_000;

/** Every page from `first` on, and the cloud's clock at the first page's answer. */
async function allPages<T>(
  first: string,
  path: string,
  send: (path: string) => Promise<HttpResponse>,
  read: (body: unknown) => { items: T[]; links: z.infer<typeof linksSchema> },
): Promise<{ items: T[]; cloudTime: number | undefined }> {
  const items: T[] = [];
  let cloudTime: number | undefined;
  let next: string | undefined = first;
  for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
    const response = await send(next);
    // The first page's time: a change made while later pages were read is after it.
    if (page === 0) cloudTime = cloudTimeOf(response);
    const parsed = read(response.body);
    items.push(...parsed.items);
    next = nextPage(path, parsed.links, parsed.items.length);
  }
  return { items, cloudTime };
}

/**
 * Nova's servers changed since the token's time (`GET /servers/detail?changes-since=`, at the
 * base API), or all of them without one. Nova lists a server deleted since then with status
 * `DELETED` (its api-ref: changes-since "may also return recently deleted servers"): those are
 * the `deleted` ids. Without a `Date` header the cloud's clock is unknown: the next list is full.
 */
export async function serverChangesOf(
  nova: NovaClient,
  region: string | undefined,
  since: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ChangeList<Server>> {
  const token = decodeToken(since);
  const first = token
    ? `/servers/detail?${new URLSearchParams({ 'changes-since': token.since }).toString()}`
    : '/servers/detail';
  const { items, cloudTime } = await allPages(
    first,
    '/servers/detail',
    (path) => nova.send({ method: 'GET', path, signal }),
    (body) => {
      const parsed = parseBody(serverList, body, 'nova server list');
      return { items: parsed.servers, links: parsed.servers_links };
    },
  );
  const gone = (s: NovaServer) => s.status === 'DELETED';
  return {
    complete: token === undefined,
    items: items.filter((s) => !gone(s)).map((s) => toServer(s, region)),
    deleted: items.filter(gone).map((s) => s.id),
    next: cloudTime === undefined ? undefined : encodeToken({ since: sinceOf(cloudTime), recheck: [] }),
  };
}

/** Whether Cinder lists changes (`updated_at=gt:` needs 3.60), learnt from its first answer. */
export interface CinderChangesState {
  supported: boolean | undefined;
}

// The microversion that adds `created_at`/`updated_at` filters with `gt:` and the like (Zed has 3.70).
const CINDER_CHANGES_VERSION = '3.60';

/**
 * Cinder's volumes changed since the token's time (`GET /volumes/detail?updated_at=gt:` at
 * microversion 3.60, the only header sent: Cinder refuses one naming another service), or all
 * of them. The version is negotiated by asking: a Cinder whose maximum is lower answers 406,
 * and one that does not echo `volume 3.60` back is not trusted with the filter; either way
 * this driver lists in full from then on. Cinder never lists a deleted volume, so a volume
 * seen `deleting` is read by id on every later changes list until it is gone (404: deleted).
 */
export async function volumeChangesOf(
  cinder: CinderClient,
  state: CinderChangesState,
  region: string | undefined,
  since: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ChangeList<Volume>> {
  const token = state.supported === false ? undefined : decodeToken(since);
  const headers: Record<string, string> =
    state.supported === false ? {} : { 'OpenStack-API-Version': `volume ${CINDER_CHANGES_VERSION}` };
  const first = token
    ? `/volumes/detail?${new URLSearchParams({ updated_at: `gt:${token.since}` }).toString()}`
    : '/volumes/detail';
  let listed: { items: CinderVolume[]; cloudTime: number | undefined; versioned: boolean };
  try {
    listed = await volumePages(cinder, first, headers, signal);
  } catch (error) {
    if (state.supported !== undefined || !isBrokerError(error) || error.statusCode !== 406) throw error;
    state.supported = false;
    return volumeChangesOf(cinder, state, region, undefined, signal);
  }
  if (state.supported === undefined) state.supported = listed.versioned;
  if (token && !listed.versioned) return volumeChangesOf(cinder, state, region, undefined, signal);
  const rechecked = token
    ? await recheck(cinder, token.recheck, listed.items, signal)
    : { read: [], gone: [] };
  const all = [...listed.items, ...rechecked.read];
  const deleting = all.filter((v) => v.status === 'deleting').map((v) => v.id);
  return {
    complete: token === undefined,
    items: all.map((v) => toVolume(v, region)),
    deleted: rechecked.gone,
    next:
      state.supported && listed.cloudTime !== undefined
        ? encodeToken({ since: sinceOf(listed.cloudTime), recheck: [...new Set(deleting)] })
        : undefined,
  };
}

async function volumePages(
  cinder: CinderClient,
  first: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
) {
  let versioned = false;
  const pages = await allPages(
    first,
    '/volumes/detail',
    async (path) => {
      const response = await cinder.get(path, headers, signal);
      versioned = /\bvolume 3\.(6\d|[7-9]\d|\d{3,})\b/.test(
        response.headers.get('openstack-api-version') ?? '',
      );
      return response;
    },
    (body) => {
      const parsed = parseBody(volumeList, body, 'cinder volume list');
      return { items: parsed.volumes, links: parsed.volumes_links };
    },
  );
  return { ...pages, versioned };
}

/** Reads again the volumes last seen `deleting` that this list did not show: 404 is deleted. */
async function recheck(
  cinder: CinderClient,
  ids: readonly string[],
  listed: readonly CinderVolume[],
  signal: AbortSignal | undefined,
): Promise<{ read: CinderVolume[]; gone: string[] }> {
  const shown = new Set(listed.map((v) => v.id));
  // At once: the request budget paces them, and a tick should not wait for each in turn.
  const reads = await Promise.all(
    ids
      .filter((id) => !shown.has(id))
      .map((id) =>
        cinder.getVolume(id, signal).then(
          (volume) => ({ id, volume }),
          (error: unknown) => {
            if (!isBrokerError(error, 'not-found')) throw error;
            return { id, volume: undefined };
          },
        ),
      ),
  );
  return {
    read: reads.flatMap((r) => (r.volume ? [r.volume] : [])),
    gone: reads.filter((r) => !r.volume).map((r) => r.id),
  };
}
