// The notifications source on the real stack: changes made with raw HTTP (not through the
// broker) arrive as the right watch events through RabbitMQ. Polling is set to 10 minutes, so
// only the bus can bring them in time. Needs the bus URL: the local stack's (scripts/openstack,
// rabbit://guest:guest@127.0.0.1:$PORT_RABBIT/) or OS_REAL_NOTIFICATIONS_URL for a staging cloud.
import { createDriver, type Platform, type WatchEvent } from '@hybrid-broker/core';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openstackConfig, REAL_WAIT, RealCloud } from './real-cloud.js';

const info = inject('openstackReal');
const zone = info.mode === 'local' ? info.state.computeZone : info.zone;
const networks = info.mode === 'staging' && info.network ? [info.network] : [];
// scripts/openstack/ports.sh: PORT_RABBIT = OS_PORT_BASE + 672.
const busUrl =
  process.env.OS_REAL_NOTIFICATIONS_URL ??
  (info.mode === 'local'
    ? `rabbit://guest:guest@127.0.0.1:${Number(process.env.OS_PORT_BASE ?? 15000) + 672}/`
    : undefined);
const EVENT_MS = 60_000;
let cloud: RealCloud;

beforeAll(async () => {
  cloud = await RealCloud.open(info);
});
afterAll(async () => {
  await cloud?.cleanup();
});

/** Takes events until one matches `wanted`, failing after `ms` with what it saw. */
async function until(it: AsyncIterator<WatchEvent>, what: string, wanted: (e: WatchEvent) => boolean) {
  const seen: string[] = [];
  const deadline = Date.now() + EVENT_MS;
  while (Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), deadline - Date.now());
    });
    const next = await Promise.race([it.next(), late]);
    clearTimeout(timer);
    if (!next || next.done) break;
    seen.push(JSON.stringify(next.value).slice(0, 200));
    if (wanted(next.value)) return next.value;
  }
  throw new Error(`no event for ${what} within ${EVENT_MS} ms; saw:\n${seen.join('\n')}`);
}

const isVolume =
  (id: string, check: (v: { status: string; attachments: readonly unknown[] }) => boolean) =>
  (e: WatchEvent) =>
    e.type === 'modified' && e.kind === 'volume' && e.id === id && check(e.resource);

describe('watch through OpenStack notifications (real RabbitMQ)', () => {
  it('sees an attach, a detach, a reset to ERROR, a volume delete and a server delete', async (ctx) => {
    if (!busUrl) return ctx.skip('needs the bus: OS_REAL_NOTIFICATIONS_URL on a staging cloud');
    if (!cloud.admin) return ctx.skip('needs admin: os-resetState (set OS_REAL_ADMIN=1)');
    const driver = createDriver(
      openstackDriver,
      openstackConfig(info, { notifications: { url: busUrl } }),
    ) as Platform;
    const server = await driver.createServer(
      {
        name: 'hb-real-notify',
        image: await cloud.image(),
        flavor: await cloud.flavor(),
        availabilityZone: zone,
        networks,
      },
      { wait: REAL_WAIT },
    );
    const volumeId = await cloud.createVolume(zone);
    const serverId = server.providerId;
    const watch = driver.watch(
      { volumes: { ids: [volumeId] }, servers: { ids: [server.id] } },
      { source: 'notifications', pollMs: 600_000, resyncMs: 600_000 },
    );
    const it = watch[Symbol.asyncIterator]();
    try {
      await until(it, 'the bus', (e) => e.type === 'source' && e.source === 'notifications');
      // (synced may come before or after the source event; both are taken by the waits below.)
      await cloud.call('compute', 'POST', `/servers/${serverId}/os-volume_attachments`, {
        body: { volumeAttachment: { volumeId } },
      });
      await until(
        it,
        'the attach',
        isVolume(volumeId, (v) => v.status === 'in-use' && v.attachments.length === 1),
      );
      await cloud.call('compute', 'DELETE', `/servers/${serverId}/os-volume_attachments/${volumeId}`);
      await until(
        it,
        'the detach',
        isVolume(volumeId, (v) => v.status === 'available' && v.attachments.length === 0),
      );
      await cloud.call('compute', 'POST', `/servers/${serverId}/action`, {
        body: { 'os-resetState': { state: 'error' } },
      });
      const errored = await until(
        it,
        'the reset to ERROR',
        (e) => e.type === 'modified' && e.kind === 'server' && e.resource.status === 'error',
      );
      expect(errored).toMatchObject({ id: server.id, changes: expect.arrayContaining(['status']) });
      await cloud.call('volume', 'DELETE', `/volumes/${volumeId}`);
      await until(
        it,
        'the volume delete',
        (e) => e.type === 'deleted' && e.kind === 'volume' && e.id === volumeId,
      );
      await cloud.call('compute', 'DELETE', `/servers/${serverId}`);
      await until(
        it,
        'the server delete',
        (e) => e.type === 'deleted' && e.kind === 'server' && e.id === server.id,
      );
    } finally {
      watch.close();
      await driver.close?.();
    }
  });
});
