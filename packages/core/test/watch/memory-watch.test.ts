import { describe, expect, it } from 'vitest';
import { wrapDriver } from '../../src/driver-kit.js';
import { BrokerError, MemoryCloud, MemoryDriver, type WatchEvent } from '../../src/index.js';
import { manualClock } from '../support/manual-clock.js';
import { drain, idle, iterate } from './fake-lists.js';

function describeEvent(e: WatchEvent): string {
  if (e.type === 'error') return `error ${e.error.code}`;
  if (e.type === 'synced') return 'synced';
  if (e.type === 'source') return `source ${e.source}`;
  return `${e.type} ${e.kind} [${e.changes.join(',')}]`;
}

describe('watch on the memory driver', () => {
  it('sees changes made out of band, through the cloud itself, as the right events', async () => {
    const clock = manualClock(0);
    const cloud = new MemoryCloud({
      availabilityZones: ['az-1'],
      images: ['cirros'],
      flavors: ['m1.small'],
      delays: { buildMs: 0, attachMs: 500, detachMs: 500, deleteMs: 500 },
      clock,
    });
    const platform = wrapDriver(new MemoryDriver(cloud), {
      platform: 'mem',
      now: clock.now,
      clock,
      secrets: [],
    });
    const server = cloud.buildServer({ name: 'sg', image: 'cirros', flavor: 'm1.small' }, 'az-1', undefined);
    const volume = cloud.createVolume({ availabilityZone: 'az-1' });
    const watch = platform.watch({ volumes: {}, servers: { ids: [server.id] } }, { pollMs: 1000 });
    const events = iterate(watch);
    expect((await drain(events, 3)).map(describeEvent)).toEqual([
      'added volume []',
      'added server []',
      'synced',
    ]);

    cloud.attach(server.id, volume.id, undefined, false);
    await clock.advance(1000);
    expect((await drain(events, 1)).map(describeEvent)).toEqual(['modified volume [attachments,status]']);
    cloud.detach(volume.id, server.id, false);
    await clock.advance(1000);
    expect((await drain(events, 1)).map(describeEvent)).toEqual(['modified volume [attachments,status]']);
    cloud.setVolumeStatus(volume.id, 'error');
    await clock.advance(1000);
    expect((await drain(events, 1)).map(describeEvent)).toEqual(['modified volume [status]']);
    cloud.deleteServer(server.id);
    await clock.advance(1000);
    expect((await drain(events, 1)).map(describeEvent)).toEqual(['deleted server [deleted]']);
    expect((await idle(events)).pending).toBe(true);
    watch.close();
  });

  it('scrubs the platform secrets out of error events and ends on a fatal forbidden', async () => {
    const clock = manualClock(0);
    const memory = new MemoryDriver({
      availabilityZones: ['az-1'],
      images: [],
      flavors: [],
      delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
      clock,
    });
    let failure = new BrokerError('unavailable', 'cinder at https://admin:s3cret@cloud refused');
    memory.listVolumes = async () => {
      throw failure;
    };
    const platform = wrapDriver(memory, { platform: 'mem', now: clock.now, clock, secrets: ['s3cret'] });
    const events = iterate(platform.watch({ volumes: {} }, { pollMs: 1000 }));
    const [event] = await drain(events, 1);
    expect(event?.type === 'error' && event.error.message).toMatch(/refused/);
    expect(JSON.stringify(event) + String(event?.type === 'error' && event.error.stack)).not.toContain(
      's3cret',
    );
    failure = new BrokerError('forbidden', 'no s3cret rights');
    await clock.advance(5000);
    const fatal = await events.next().catch((e: unknown) => e);
    expect(fatal).toMatchObject({ code: 'forbidden', platform: 'mem' });
    expect(String((fatal as Error).message)).not.toContain('s3cret');
  });
});
