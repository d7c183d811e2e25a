import { BrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import type { CinderClient } from '../src/cinder/cinder-client.js';
import type { HttpResponse } from '../src/http/http-types.js';
import type { NovaClient } from '../src/nova/nova-client.js';
import { decodeToken } from '../src/operations/changes-since.js';
import { serverChangesOf, volumeChangesOf } from '../src/operations/openstack-changes.js';

const DATE = 'Tue, 08 Dec 2026 03:00:00 GMT';

function response(body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status: 200, body, headers: new Headers({ date: DATE, ...headers }), requestId: undefined };
}

const volume = (id: string, status = 'available') => ({ id, status, size: 1, attachments: [] });
const server = (id: string, status = 'ACTIVE') => ({
  id,
  name: id,
  status,
  addresses: {},
  metadata: {},
  'OS-EXT-AZ:availability_zone': 'az-1',
});

/** A Cinder that answers `answer(path, headers)` and reads volumes from `byId` (absent: 404). */
function cinder(
  answer: (path: string, headers: Readonly<Record<string, string>>) => HttpResponse,
  byId: Record<string, ReturnType<typeof volume>> = {},
) {
  const asked: { path: string; headers: Readonly<Record<string, string>> }[] = [];
  const client = {
    get: async (path: string, headers: Readonly<Record<string, string>>) => {
      asked.push({ path, headers });
      return answer(path, headers);
    },
    getVolume: async (id: string) => {
      const found = byId[id];
      if (!found) throw new BrokerError('not-found', `volume ${id}`, { statusCode: 404 });
      return found;
    },
  };
  return { client: client as unknown as CinderClient, asked };
}

describe('changes lists', () => {
  it('Nova: changes-since from the Date header less 30 s, DELETED servers as deleted ids', async () => {
    const paths: string[] = [];
    const nova = {
      send: async ({ path }: { path: string }) => {
        paths.push(path);
        return response({
          servers: path.includes('changes-since') ? [server('a'), server('b', 'DELETED')] : [server('a')],
        });
      },
    } as unknown as NovaClient;
    const first = await serverChangesOf(nova, undefined, undefined, undefined);
    expect(first).toMatchObject({ complete: true, deleted: [] });
    expect(decodeToken(first.next)?.since).toBe('2026-12-08T02:59:30Z');
    const next = await serverChangesOf(nova, undefined, first.next, undefined);
    expect(paths[1]).toBe('/servers/detail?changes-since=2026-12-08T02%3A59%3A30Z');
    expect(next).toMatchObject({ complete: false, deleted: ['b'] });
    expect(next.items.map((s) => s.id)).toEqual(['a']);
  });

  it('Cinder: updated_at=gt: at volume 3.60 only, and a volume seen deleting is read until 404', async () => {
    const echo = { 'openstack-api-version': 'volume 3.60' };
    const { client, asked } = cinder(
      (path) =>
        response(
          { volumes: path.includes('updated_at') ? [] : [volume('v1', 'deleting'), volume('v2')] },
          echo,
        ),
      { v1: volume('v1', 'deleting') },
    );
    const state = { supported: undefined };
    const first = await volumeChangesOf(client, state, undefined, undefined, undefined);
    expect(first.complete).toBe(true);
    expect(decodeToken(first.next)).toEqual({ since: '2026-12-08T02:59:30Z', recheck: ['v1'] });
    const second = await volumeChangesOf(client, state, undefined, first.next, undefined);
    expect(asked[1]?.path).toBe('/volumes/detail?updated_at=gt%3A2026-12-08T02%3A59%3A30Z');
    expect(asked.every((a) => a.headers['OpenStack-API-Version'] === 'volume 3.60')).toBe(true);
    expect(second).toMatchObject({ complete: false, deleted: [] });
    expect(second.items.map((v) => v.id)).toEqual(['v1']);
    const { client: after } = cinder(() => response({ volumes: [] }, echo));
    const third = await volumeChangesOf(after, state, undefined, second.next, undefined);
    expect(third).toMatchObject({ complete: false, items: [], deleted: ['v1'] });
  });

  it('Cinder below 3.60 (406) or not echoing the version lists in full, without the header, from then on', async () => {
    const { client, asked } = cinder((_path, headers) => {
      if (headers['OpenStack-API-Version'] !== undefined) {
        throw new BrokerError('provider-error', 'Version 3.60 is not supported by the API', {
          statusCode: 406,
        });
      }
      return response({ volumes: [volume('v1')] });
    });
    const state: { supported: boolean | undefined } = { supported: undefined };
    const first = await volumeChangesOf(client, state, undefined, undefined, undefined);
    expect(state.supported).toBe(false);
    expect(first).toMatchObject({ complete: true, next: undefined });
    expect(asked.map((a) => a.headers['OpenStack-API-Version'])).toEqual(['volume 3.60', undefined]);
    const { client: silent } = cinder(() => response({ volumes: [volume('v1')] }));
    const quiet: { supported: boolean | undefined } = { supported: undefined };
    expect((await volumeChangesOf(silent, quiet, undefined, undefined, undefined)).next).toBeUndefined();
    expect(quiet.supported).toBe(false);
  });
});
