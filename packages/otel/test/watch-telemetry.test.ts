/**
 * A watch under telemetry: each list it sends is an operation span, and `countWatch`
 * counts the events its consumer takes, by type and kind.
 */
import { type Broker, createBroker } from '@hybrid-broker/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InMemoryTelemetry, openInMemoryTelemetry } from './support/in-memory-telemetry.js';

let otel: InMemoryTelemetry;
let broker: Broker;

beforeAll(() => {
  otel = openInMemoryTelemetry();
  broker = createBroker(
    {
      platforms: {
        lab: {
          driver: 'memory',
          availabilityZones: ['az-1'],
          delays: { buildMs: 0, attachMs: 0, detachMs: 0, deleteMs: 0 },
        },
      },
    },
    { services: otel.telemetry.services },
  );
});

afterAll(async () => {
  await broker?.close();
  await otel?.shutdown();
});

describe('watch telemetry', () => {
  it('counts delivered events per type and kind, and makes a span per list', async () => {
    const platform = broker.platform('lab');
    const volume = await platform.createVolume({ name: 'v', sizeGiB: 1, availabilityZone: 'az-1' });
    otel.reset();
    const watch = otel.telemetry.countWatch(platform.watch({ volumes: {} }, { pollMs: 50 }), 'lab');
    const seen: string[] = [];
    for await (const event of watch) {
      seen.push('id' in event ? `${event.type} ${event.id}` : event.type);
      if (event.type === 'synced') await platform.deleteVolume({ volumeId: volume.id });
      if (event.type === 'deleted') break;
    }
    expect(seen).toEqual([`added ${volume.id}`, 'synced', `deleted ${volume.id}`]);

    const counter = (await otel.metrics()).find((m) => m.name === 'hybrid_broker.watch.events');
    const counts = Object.fromEntries(
      (counter?.points ?? []).map((p) => [
        `${p.attributes['hybrid_broker.watch.event.type']} ${p.attributes['hybrid_broker.watch.kind'] ?? '-'}`,
        p.value,
      ]),
    );
    expect(counts).toEqual({ 'added volume': 1, 'synced -': 1, 'deleted volume': 1 });
    expect(counter?.points.every((p) => p.attributes['hybrid_broker.platform'] === 'lab')).toBe(true);
    const lists = otel.spans().filter((s) => s.name === 'listVolumes');
    // at least the first list and the one that saw the delete
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.every((s) => s.attributes['hybrid_broker.platform'] === 'lab')).toBe(true);
  });
});
