import type { Platform, WatchEvent } from '@hybrid-broker/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBus, recordedBody } from './support/fake-amqp.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

// amqplib is imported lazily by the driver: this fake bus stands in for it (no RabbitMQ here).
const bus = vi.hoisted(() => ({ current: undefined as ReturnType<typeof fakeBus> | undefined }));
vi.mock('amqplib', () => ({ connect: (url: string) => bus.current?.connect(url) }));

guardNetwork();
const BUS_PASSWORD = 'bus-canary-S3cret';
const URL = `amqp://hb:${BUS_PASSWORD}@127.0.0.1:5672/`;
const RECORDED_VOLUME = 'f85f5d20-8b91-4ed8-8361-0a4404b411d8';

/** The recorded Cinder body with the fake cloud's volume id in it. */
function cinderBody(event: 'attach' | 'detach' | 'delete', volumeId: string): string {
  return recordedBody(`cinder-volume.${event}.end.json`).replaceAll(RECORDED_VOLUME, volumeId);
}

/** Takes events until `until` matches one (which is included), failing after `ms`. */
async function takeUntil(it: AsyncIterator<WatchEvent>, until: (e: WatchEvent) => boolean, ms = 5_000) {
  const seen: WatchEvent[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), deadline - Date.now());
    });
    const next = await Promise.race([it.next(), late]);
    clearTimeout(timer);
    if (!next || next.done) break;
    seen.push(next.value);
    if (until(next.value)) return seen;
  }
  throw new Error(`no such event in time; saw ${JSON.stringify(seen.map((e) => e.type))}`);
}

function target() {
  bus.current = fakeBus();
  const made = fakeTarget({ config: { notifications: { url: URL } } });
  // createDriver gives the wrapped platform, which has `watch`.
  return { ...made, driver: made.driver as Platform, bus: bus.current };
}

afterEach(() => {
  bus.current = undefined;
});

describe('watch over OpenStack notifications (a fake amqplib bus)', () => {
  it('binds its own queue, and turns a notification into the event a read shows', async () => {
    const { driver, cloud, bus } = target();
    const volume = cloud.addVolume('az-1');
    const watch = driver.watch({ volumes: {} }, { source: 'notifications', pollMs: 50, resyncMs: 600_000 });
    const it = watch[Symbol.asyncIterator]();
    const first = await takeUntil(it, (e) => e.type === 'synced');
    expect(first).toContainEqual(expect.objectContaining({ type: 'added', id: volume.id }));
    if (!first.some((e) => e.type === 'source')) await takeUntil(it, (e) => e.type === 'source');
    expect(bus.last?.calls).toEqual([
      'exchange nova topic durable=false',
      'exchange openstack topic durable=false',
      "queue '' exclusive=true autoDelete=true",
      'bind amq.gen-1 nova versioned_notifications.info',
      'bind amq.gen-1 nova notifications.info',
      'bind amq.gen-1 openstack versioned_notifications.info',
      'bind amq.gen-1 openstack notifications.info',
    ]);
    // The bus said "attached", the cloud says "error": the read is the truth.
    volume.forced = 'error';
    bus.last?.deliver(cinderBody('attach', volume.id));
    const [changed] = await takeUntil(it, (e) => e.type === 'modified');
    expect(changed).toMatchObject({ type: 'modified', id: volume.id, changes: ['status'] });
    expect(changed && 'resource' in changed && changed.resource.status).toBe('error');
    // Nothing changed since: a repeated notification sends nothing, however often it comes.
    bus.last?.deliver(cinderBody('attach', volume.id));
    bus.last?.deliver(recordedBody('nova-scheduler.select_destinations.end.json'));
    const quiet = await Promise.race([
      it.next(),
      new Promise<string>((r) => setTimeout(() => r('quiet'), 300)),
    ]);
    expect(quiet).toBe('quiet');
    watch.close();
    await driver.close?.();
    expect(bus.last?.closed).toBe(true);
  });

  it('falls back to polling when the bus drops, and goes back to it when it returns', async () => {
    const { driver, cloud, bus } = target();
    const volume = cloud.addVolume('az-1');
    const watch = driver.watch({ volumes: { ids: [volume.id] } }, { source: 'auto', pollMs: 50 });
    const it = watch[Symbol.asyncIterator]();
    await takeUntil(it, (e) => e.type === 'synced');
    if (bus.connections.length === 0 || !bus.last?.consumer) await takeUntil(it, (e) => e.type === 'source');
    bus.refuse = new Error(`connect ECONNREFUSED ${URL}`);
    bus.last?.drop('CONNECTION_FORCED - broker forced connection closure with reason shutdown');
    const down = await takeUntil(it, (e) => e.type === 'source');
    expect(down.at(-1)).toMatchObject({ type: 'source', source: 'poll' });
    // Polling again: a change with no notification still arrives.
    volume.forced = 'error';
    await takeUntil(it, (e) => e.type === 'modified');
    bus.refuse = undefined;
    const back = await takeUntil(it, (e) => e.type === 'source' && e.source === 'notifications', 8_000);
    expect(back.at(-1)).toEqual({ type: 'source', source: 'notifications' });
    expect(bus.connections).toHaveLength(2);
    watch.close();
    await driver.close?.();
    expect(bus.connections.every((c) => c.closed)).toBe(true);
  });

  it('never shows the bus password in an event, an error or a reason', async () => {
    const { driver, cloud, events, bus } = target();
    bus.refuse = new Error(`connect ECONNREFUSED ${URL} (user hb, password ${BUS_PASSWORD})`);
    cloud.addVolume('az-1');
    const watch = driver.watch({ volumes: {} }, { source: 'notifications', pollMs: 50 });
    const it = watch[Symbol.asyncIterator]();
    const seen = await takeUntil(it, (e) => e.type === 'source');
    const reason = JSON.stringify(seen.at(-1));
    expect(reason).toContain('ECONNREFUSED');
    expect(reason).not.toContain(BUS_PASSWORD);
    expect(JSON.stringify(events.events)).not.toContain(BUS_PASSWORD);
    watch.close();
    await driver.close?.();
  });

  it('leaves no timer or socket once the watch and the driver are closed', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { driver, cloud, bus } = target();
    cloud.addVolume('az-1');
    bus.refuse = new Error('ECONNREFUSED');
    const watch = driver.watch({ volumes: {} }, { source: 'notifications', pollMs: 50 });
    const it = watch[Symbol.asyncIterator]();
    await takeUntil(it, (e) => e.type === 'synced');
    watch.close();
    await driver.close?.();
    await new Promise((r) => setImmediate(r));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
    const attempts = bus.urls.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(bus.urls.length).toBe(attempts);
  });
});

describe('notifications config', () => {
  it('names the bad field and never shows the URL', () => {
    bus.current = fakeBus();
    const bad = (notifications: unknown) => () => fakeTarget({ config: { notifications } }).driver;
    expect(bad({ url: 42 })).toThrow(/notifications\.url/);
    expect(bad({ url: `http://hb:${BUS_PASSWORD}@x/` })).toThrow(/notifications\.url/);
    expect(bad({ url: URL, exchanges: [] })).toThrow(/notifications\.exchanges/);
    try {
      bad({ url: `http://hb:${BUS_PASSWORD}@x/` })();
    } catch (error) {
      expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(BUS_PASSWORD);
    }
  });
});
