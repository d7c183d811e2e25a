import { createServer } from 'node:net';
import type { Platform, WatchEvent } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

// The real amqplib against loopback sockets that are not RabbitMQ: no bus is needed to prove
// that an unreachable or broken bus makes the watch poll, says why, and leaks no password.
guardNetwork();
const BUS_PASSWORD = 'bus-canary-R3fused';

/** A loopback port that accepts and at once closes every connection (a bus that drops). */
async function droppingPort() {
  const accepted = { count: 0 };
  const server = createServer((socket) => {
    accepted.count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    port: address.port,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Events until both a `source` event and `added` of `id` were seen (in either order). */
async function sourceAndAdded(it: AsyncIterator<WatchEvent>, id: string): Promise<WatchEvent[]> {
  const seen: WatchEvent[] = [];
  while (!(seen.some((e) => e.type === 'source') && seen.some((e) => e.type === 'added' && e.id === id))) {
    const next = await it.next();
    if (next.done) throw new Error('the watch ended');
    seen.push(next.value);
  }
  return seen;
}

describe('watch with amqplib and a bus that is not there', () => {
  it('polls, says why without the password, and closes its sockets', async () => {
    const bus = await droppingPort();
    const url = `amqp://hb:${BUS_PASSWORD}@127.0.0.1:${bus.port}/`;
    const { driver, cloud, events } = fakeTarget({ config: { notifications: { url } } });
    const platform = driver as Platform;
    const volume = cloud.addVolume('az-1');
    const watch = platform.watch({ volumes: {} }, { source: 'auto', pollMs: 50 });
    const it = watch[Symbol.asyncIterator]();
    // Polling meanwhile: the volume arrives from a list.
    const seen = await sourceAndAdded(it, volume.id);
    const down = seen.find((e) => e.type === 'source');
    expect(down).toMatchObject({ type: 'source', source: 'poll' });
    expect(JSON.stringify(down)).not.toContain(BUS_PASSWORD);
    expect(JSON.stringify(events.events)).not.toContain(BUS_PASSWORD);
    watch.close();
    await platform.close?.();
    // No reconnect once closed (the first retry would come within 1.2 s).
    const attempts = bus.accepted.count;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(bus.accepted.count).toBe(attempts);
    await bus.close();
  });
});
