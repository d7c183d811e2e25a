import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { cinderSnapshots } from './fake-cinder-snapshots.js';
import { cinderWrite } from './fake-cinder-writes.js';
import { FAKE, type FakeCloud } from './fake-cloud.js';
import { fakeMetadata } from './fake-metadata.js';
import { fakePowerAction } from './fake-power.js';
import { serverGroups } from './fake-server-groups.js';
import { faultView, serverView, tokenView, UNAUTHORIZED, volumeView } from './fake-views.js';

type Reply = [number, unknown, Record<string, string>?];
type Headers = Record<string, string | string[] | undefined>;

/** A canned reply served once, before the fake's own handling, for the route key it names. */
export interface QueuedReply {
  readonly key: string;
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}`, 'content-type': 'application/json' });

/**
 * Serves a FakeCloud through nock on the FAKE hosts (persisting until
 * nock.cleanAll()). `pageSize` makes Nova lists paginate, as a large project's would.
 */
export function installFakeCloud(
  cloud: FakeCloud,
  options: { pageSize?: number; queue?: QueuedReply[] } = {},
) {
  const queue = options.queue ?? [];
  const serve = (
    host: string,
    route: (method: string, path: string, body: unknown, headers: Headers) => Reply,
  ) => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      nock(host)
        .persist()
        .intercept(() => true, method)
        .reply(async (request: Request) => {
          const url = new URL(request.url);
          const text = await request.text();
          // nock 14 handed JSON bodies over parsed; the routes still take them so.
          const body: unknown =
            text.length > 0 && /json/.test(request.headers.get('content-type') ?? '')
              ? JSON.parse(text)
              : text;
          return route(method, url.pathname + url.search, body, Object.fromEntries(request.headers));
        });
    }
  };
  const withQueue =
    (route: (method: string, path: string, body: unknown, headers: Headers) => Reply) =>
    (method: string, path: string, body: unknown, headers: Headers): Reply => {
      const key = `${method} ${template(path)}`;
      cloud.hit(key);
      const index = queue.findIndex((q) => q.key === key);
      const queued = index >= 0 ? queue.splice(index, 1)[0] : undefined;
      if (queued) return [queued.status, queued.body ?? '', { ...reqId(), ...queued.headers }];
      return route(method, path, body, headers);
    };
  serve(
    FAKE.keystone,
    withQueue((method, _path, body, headers) => keystone(cloud, method, body, headers)),
  );
  const authed =
    (route: (method: string, path: string, body: unknown) => Reply) =>
    (method: string, path: string, body: unknown, headers: Headers): Reply => {
      const token = headers['x-auth-token'];
      if (typeof token !== 'string' || !cloud.tokens.has(token)) return [401, UNAUTHORIZED, reqId()];
      return route(method, path, body);
    };
  serve(FAKE.nova, withQueue(authed((m, p, b) => nova(cloud, m, p, b, options.pageSize ?? 1000))));
  const cinderRoute = (m: string, p: string, b: unknown) =>
    cinderSnapshots(cloud, m, p, b) ?? cinderWrite(cloud, m, p, b) ?? cinder(cloud, m, p, b);
  serve(FAKE.cinder, withQueue(authed(cinderRoute)));
  serve(FAKE.glance, withQueue(authed((_m, p) => glance(p))));
}

/** `/v2.1/servers/<uuid>?x` -> `/v2.1/servers/{id}`. */
export function template(path: string): string {
  return (path.split('?')[0] ?? '')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')
    .replace(/\/v3\/[0-9a-f]{32}/, '/v3/{project}');
}

function keystone(cloud: FakeCloud, method: string, body: unknown, headers: Headers): Reply {
  if (method === 'GET') {
    const subject = headers['x-subject-token'];
    if (typeof subject !== 'string' || !cloud.tokens.has(subject))
      return [404, { error: { code: 404, message: 'Could not find token', title: 'Not Found' } }, reqId()];
    return [200, tokenView(cloud, ['token']), { ...reqId(), 'x-subject-token': subject }];
  }
  cloud.keystoneBodies.push(body);
  const identity = (body as { auth?: { identity?: Record<string, unknown> } }).auth?.identity ?? {};
  const methods = (identity.methods as string[] | undefined) ?? [];
  const password = (identity.password as { user?: { password?: string } } | undefined)?.user?.password;
  const secret = (identity.application_credential as { secret?: string } | undefined)?.secret;
  const tokenId = (identity.token as { id?: string } | undefined)?.id;
  const ok =
    (methods[0] === 'password' && password === FAKE.password) ||
    (methods[0] === 'application_credential' && secret === FAKE.password) ||
    (methods[0] === 'token' && tokenId !== undefined && cloud.tokens.has(tokenId));
  if (!ok) return [401, UNAUTHORIZED, reqId()];
  return [201, tokenView(cloud, methods), { ...reqId(), 'x-subject-token': cloud.issueToken() }];
}

function nova(cloud: FakeCloud, method: string, path: string, body: unknown, pageSize: number): Reply {
  const url = new URL(path, FAKE.nova);
  const parts = url.pathname.split('/').filter(Boolean); // v2.1, servers, id, ...
  const notFound = (what: string): Reply => [
    404,
    faultView('itemNotFound', 404, `${what} could not be found.`),
    reqId(),
  ];
  if (parts[1] === 'flavors' && parts[2] === 'detail') {
    const flavors = FAKE.flavors.map((f) => ({ ...f, ram: 512, vcpus: 1, disk: 1, links: [] }));
    return [200, { flavors }, reqId()];
  }
  if (parts[1] === 'os-server-groups') return serverGroups(cloud, method, parts, body);
  if (parts[1] !== 'servers') return notFound('Resource');
  if (method === 'GET' && parts[2] === 'detail') {
    // Nova's `name` filter is a regular expression searched in the name (as MySQL's REGEXP does).
    const name = url.searchParams.get('name');
    const pattern = name === null ? undefined : new RegExp(name);
    const live = [...cloud.servers.values()].filter(
      (s) => cloud.serverStatus(s) !== undefined && (!pattern || pattern.test(s.name)),
    );
    const marker = url.searchParams.get('marker');
    const start = marker ? live.findIndex((s) => s.id === marker) + 1 : 0;
    const page = live.slice(start, start + pageSize);
    const last = page[page.length - 1];
    const links =
      start + pageSize < live.length && last
        ? [
            {
              href: `http://nova.internal:8774/v2.1/servers/detail?limit=${pageSize}&marker=${last.id}`,
              rel: 'next',
            },
          ]
        : [];
    const servers = page.map((s) => serverView(s, cloud.serverStatus(s) ?? 'DELETED'));
    return [200, { servers, ...(links.length > 0 ? { servers_links: links } : {}) }, reqId()];
  }
  if (method === 'POST' && parts.length === 2) {
    const request = (body as { server: Record<string, unknown> }).server;
    if (!FAKE.flavors.some((f) => f.id === request.flavorRef)) {
      return [
        400,
        faultView('badRequest', 400, `Flavor ${String(request.flavorRef)} could not be found.`),
        reqId(),
      ];
    }
    const group = (body as { 'os:scheduler_hints'?: { group?: string } })['os:scheduler_hints']?.group;
    if (group !== undefined && !cloud.groups.some((g) => g.id === group)) {
      return [400, faultView('badRequest', 400, `Invalid server group ${group}`), reqId()];
    }
    const server = cloud.createServer(request, group);
    const reply = {
      server: {
        'OS-DCF:diskConfig': 'AUTO',
        adminPass: 'kJTmMkszoB6A',
        id: server.id,
        links: [],
        security_groups: [{ name: 'default' }],
      },
    };
    return [202, reply, { ...reqId(), location: `${FAKE.nova}/v2.1/servers/${server.id}` }];
  }
  const server = cloud.servers.get(parts[2] ?? '');
  const status = server && cloud.serverStatus(server);
  if (!server || status === undefined) return notFound(`Instance ${parts[2]}`);
  if (parts.length === 3) {
    if (method === 'GET') return [200, { server: serverView(server, status) }, reqId()];
    server.deletingUntil ??= Date.now() + cloud.delays.delete;
    return [204, '', reqId()];
  }
  if (parts[3] === 'action' && method === 'POST') return fakePowerAction(server, status, body);
  if (parts[3] === 'metadata') return fakeMetadata(server, method, parts[4], body, 204);
  if (parts[3] !== 'os-volume_attachments') return notFound('Resource');
  const volume = cloud.volumes.get(
    parts[4] ?? (body as { volumeAttachment?: { volumeId?: string } })?.volumeAttachment?.volumeId ?? '',
  );
  if (!volume) return notFound(`Volume ${parts[4] ?? ''}`);
  if (method === 'GET') {
    if (!cloud.novaLists(server.id, volume)) return notFound(`Volume attachment ${volume.id}`);
    const a = volume.attachments.find((x) => x.serverId === server.id);
    const device = a?.device ?? '/dev/vdb';
    return [
      200,
      { volumeAttachment: { device, id: volume.id, serverId: server.id, volumeId: volume.id } },
      reqId(),
    ];
  }
  if (method === 'POST') {
    if (cloud.novaLists(server.id, volume) && cloud.volumeStatus(volume) === 'available') {
      // The real Nova's answer inside its lag window (recorded: shared/real-openstack FINDINGS).
      return [
        400,
        faultView(
          'badRequest',
          400,
          `Invalid volume: volume ${volume.id} is already attached to instances: ${server.id}`,
        ),
        reqId(),
      ];
    }
    if (cloud.volumeStatus(volume) !== 'available') {
      return [
        400,
        faultView('badRequest', 400, `Invalid volume: volume ${volume.id} status must be available`),
        reqId(),
      ];
    }
    const device = cloud.deviceFor(server.id);
    volume.attachments.push({
      serverId: server.id,
      attachmentId: randomUUID(),
      device,
      readyAt: Date.now() + cloud.delays.attach,
    });
    cloud.afterAttach?.(volume);
    return [
      200,
      { volumeAttachment: { device, id: volume.id, serverId: server.id, volumeId: volume.id } },
      reqId(),
    ];
  }
  const attachment = volume.attachments.find((a) => a.serverId === server.id);
  if (!attachment) return notFound(`volume_id ${volume.id} attachment`);
  attachment.detachAt ??= Date.now() + cloud.delays.detach;
  return [202, '', reqId()];
}

function cinder(cloud: FakeCloud, method: string, path: string, body: unknown): Reply {
  const action = /\/volumes\/([^/?]+)\/action$/.exec(path.split('?')[0] ?? '');
  if (method === 'POST' && action) return volumeAction(cloud, action[1] ?? '', body);
  const meta = /\/volumes\/([^/?]+)\/metadata(?:\/([^/?]+))?$/.exec(path.split('?')[0] ?? '');
  const tagged = meta && cloud.volumes.get(meta[1] ?? '');
  if (meta && tagged) return fakeMetadata(tagged, method, meta[2], body, 200);
  if (meta) return [404, faultView('itemNotFound', 404, `Volume ${meta[1]} could not be found.`), reqId()];
  const id = (path.split('?')[0] ?? '').split('/').pop() ?? '';
  if (method === 'GET' && id === 'detail') {
    // Cinder's list filters are exact: name, status, and metadata as a JSON object of pairs.
    const query = new URL(path, FAKE.cinder).searchParams;
    const metadata = JSON.parse(query.get('metadata') ?? '{}') as Record<string, string>;
    const volumes = [...cloud.volumes.values()]
      .map((v) => volumeView(v, cloud.volumeStatus(v)))
      .filter((v) => query.get('name') === null || v.name === query.get('name'))
      .filter((v) => query.get('status') === null || v.status === query.get('status'))
      .filter((v) =>
        Object.entries(metadata).every(([k, value]) => (v.metadata as Record<string, string>)[k] === value),
      );
    return [200, { volumes }, reqId()];
  }
  const volume = cloud.volumes.get(id);
  if (method !== 'GET' || !volume)
    return [404, faultView('itemNotFound', 404, `Volume ${id} could not be found.`), reqId()];
  return [200, { volume: volumeView(volume, cloud.volumeStatus(volume)) }, reqId()];
}

/**
 * Cinder's `POST /volumes/{id}/action` for `os-force_detach` only, as the Block Storage API
 * reference documents it: `{"os-force_detach": {"attachment_id": …, "connector": …}}`, 202
 * with no body; the admin-only policy answers 403 with Cinder's `forbidden` fault.
 */
function volumeAction(cloud: FakeCloud, id: string, body: unknown): Reply {
  const volume = cloud.volumes.get(id);
  if (!volume) return [404, faultView('itemNotFound', 404, `Volume ${id} could not be found.`), reqId()];
  const args = (body as { 'os-force_detach'?: { attachment_id?: unknown } } | undefined)?.['os-force_detach'];
  if (args === undefined) return [400, faultView('badRequest', 400, 'There is no such action'), reqId()];
  if (cloud.forceDetachForbidden) {
    const message =
      "Policy doesn't allow volume_extension:volume_admin_actions:force_detach to be performed.";
    return [403, faultView('forbidden', 403, message), reqId()];
  }
  const attachmentId = args?.attachment_id;
  if (attachmentId !== undefined && !volume.attachments.some((a) => a.attachmentId === attachmentId))
    return [
      404,
      faultView('itemNotFound', 404, `VolumeAttachment ${String(attachmentId)} could not be found.`),
      reqId(),
    ];
  const held = volume.attachments.find((a) => attachmentId === undefined || a.attachmentId === attachmentId);
  if (cloud.novaOwnsAttachments && held) {
    const message = `ConflictNovaUsingAttachment: Detach volume from instance ${held.serverId} using the Compute API`;
    return [409, faultView('conflictingRequest', 409, message), reqId()];
  }
  volume.attachments = volume.attachments.filter(
    (a) => attachmentId !== undefined && a.attachmentId !== attachmentId,
  );
  if (volume.forced === 'detaching' || volume.forced === 'attaching') delete volume.forced;
  cloud.forceDetachBodies.push(body);
  return [202, '', reqId()];
}

function glance(path: string): Reply {
  const name = new URL(path, FAKE.glance).searchParams.get('name');
  const images = FAKE.images
    .filter((i) => name === null || i.name === name)
    .map((i) => ({
      ...i,
      status: 'active',
      visibility: 'public',
      container_format: 'bare',
      disk_format: 'qcow2',
    }));
  return [200, { images, first: '/v2/images', schema: '/v2/schemas/images' }, reqId()];
}
