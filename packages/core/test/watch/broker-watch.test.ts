import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/index.js';
import { brief, drain, iterate } from './fake-lists.js';

describe('watch through a broker', () => {
  it('works on a platform not created yet, and checks its input at once', async () => {
    const broker = createBroker({
      platforms: { lab: { driver: 'memory', volumes: [{ id: 'vol-1', availabilityZone: 'az-1' }] } },
    });
    expect(() => broker.platform('lab').watch({ volumes: { ids: [''] } })).toThrow(
      expect.objectContaining({ code: 'invalid-request', field: 'selector.volumes.ids[0]' }),
    );
    const watch = broker.platform('lab').watch({ volumes: {} }, { pollMs: 50 });
    const events = iterate(watch);
    expect(brief(await drain(events, 2))).toEqual(['added volume vol-1', 'synced']);
    watch.close();
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
    await broker.close();
  });
});
