import { describe, expect, it } from 'vitest';
import { wrapDriver } from '../src/driver-kit.js';
import type {
  BrokerError,
  BrokerEventInput,
  ListPage,
  PageOptions,
  PlatformDriver,
  Volume,
  VolumeFilter,
} from '../src/index.js';

const unused = () => Promise.reject(new Error('unused'));
const volume = (n: number): Volume => ({
  id: `vol-${n}`,
  name: `v${n}`,
  status: 'available',
  sizeGiB: 1,
  providerId: `vol-${n}`,
  providerStatus: 'available',
  multiAttach: false,
  attachments: [],
  metadata: {},
});

/** A driver over `count` volumes that pages them `perPage` at a time and counts its page reads. */
function pagedDriver(count: number, perPage: number, withPages = true) {
  const all = Array.from({ length: count }, (_, n) => volume(n));
  const seen = { pages: 0, lists: 0, sizes: [] as (number | undefined)[], signals: [] as unknown[] };
  const page = async (_f: VolumeFilter, o: PageOptions): Promise<ListPage<Volume>> => {
    seen.pages++;
    seen.sizes.push(o.pageSize);
    seen.signals.push(o.signal);
    const start = Number(o.cursor ?? 0);
    const end = start + perPage;
    return { items: all.slice(start, end), next: end < all.length ? String(end) : undefined };
  };
  const driver: PlatformDriver = {
    kind: 'paged',
    capabilities: {},
    createServer: unused,
    attachVolume: unused,
    detachVolume: unused,
    getServer: unused,
    getVolume: unused,
    deleteServer: unused,
    listVolumes: async () => {
      seen.lists++;
      return all;
    },
    ...(withPages ? { listVolumesPage: page } : {}),
  };
  return { driver, seen };
}

const wrap = (driver: PlatformDriver, events: BrokerEventInput[] = []) =>
  wrapDriver(driver, { platform: 'lab', now: Date.now, secrets: [], emit: (e) => events.push(e) });

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: BrokerError) => error,
  );
}

describe('lists with a limit', () => {
  it('stops reading pages once the limit is in hand: 2 page reads for 15 of 1000, not 100', async () => {
    const { driver, seen } = pagedDriver(1000, 10);
    const found = await wrap(driver).listVolumes({}, { limit: 15 });
    expect(found.map((v) => v.id)).toEqual(Array.from({ length: 15 }, (_, n) => `vol-${n}`));
    expect(seen.pages).toBe(2);
    expect(seen.lists).toBe(0);
    expect(seen.sizes).toEqual([15, 5]);
  });

  it('reads the full list as before without a limit', async () => {
    const { driver, seen } = pagedDriver(30, 10);
    expect(await wrap(driver).listVolumes()).toHaveLength(30);
    expect([seen.lists, seen.pages]).toEqual([1, 0]);
  });

  it('cuts the full list of a driver without page reads to the limit', async () => {
    const { driver } = pagedDriver(30, 10, false);
    expect(await wrap(driver).listVolumes({}, { limit: 4 })).toHaveLength(4);
  });

  it.each([0, -1, 1.5, Number.NaN, '3'])('refuses limit %s, naming the field', async (limit) => {
    const { driver, seen } = pagedDriver(3, 10);
    const error = await rejection(wrap(driver).listVolumes({}, { limit: limit as number }));
    expect([error.code, error.field]).toEqual(['invalid-request', 'limit']);
    expect(seen.pages + seen.lists).toBe(0);
  });
});

describe('iterateVolumes', () => {
  it('yields every volume, one page read per page, each a call with its own events', async () => {
    const { driver, seen } = pagedDriver(25, 10);
    const events: BrokerEventInput[] = [];
    const ids: string[] = [];
    for await (const v of wrap(driver, events).iterateVolumes()) ids.push(v.id);
    expect(ids).toHaveLength(25);
    expect(seen.pages).toBe(3);
    const starts = events.filter((e) => e.type === 'operation' && e.phase === 'start');
    expect(starts.map((e) => (e.type === 'operation' ? e.operation : ''))).toEqual([
      'iterateVolumes',
      'iterateVolumes',
      'iterateVolumes',
    ]);
  });

  it('sends no further request once the consumer breaks out', async () => {
    const { driver, seen } = pagedDriver(1000, 10);
    let taken = 0;
    for await (const _ of wrap(driver).iterateVolumes()) {
      if (++taken === 12) break;
    }
    expect(seen.pages).toBe(2);
  });

  it('honours the limit, and gives every page read a deadline signal of its own', async () => {
    const { driver, seen } = pagedDriver(100, 3);
    const ids: string[] = [];
    for await (const v of wrap(driver).iterateVolumes({}, { limit: 7, timeoutMs: 5_000 })) ids.push(v.id);
    expect(ids).toHaveLength(7);
    expect(seen.pages).toBe(3);
    expect(new Set(seen.signals).size).toBe(3);
    expect(seen.signals.every((s) => s instanceof AbortSignal)).toBe(true);
  });

  it('stops with aborted when the signal fires between pages', async () => {
    const { driver, seen } = pagedDriver(100, 10);
    const controller = new AbortController();
    const iterate = async () => {
      for await (const v of wrap(driver).iterateVolumes({}, { signal: controller.signal })) {
        if (v.id === 'vol-9') controller.abort();
      }
    };
    expect((await rejection(iterate())).code).toBe('aborted');
    expect(seen.pages).toBe(1);
  });

  it('falls back to the full list for a driver without page reads', async () => {
    const { driver, seen } = pagedDriver(12, 10, false);
    const ids: string[] = [];
    for await (const v of wrap(driver).iterateVolumes({}, { limit: 5 })) ids.push(v.id);
    expect([ids.length, seen.lists]).toEqual([5, 1]);
  });

  it('rejects a bad filter on the first step, naming the field', async () => {
    const { driver } = pagedDriver(3, 10);
    const first = wrap(driver)
      .iterateVolumes({ status: 'busy' as 'available' })
      [Symbol.asyncIterator]()
      .next();
    const error = await rejection(first);
    expect([error.code, error.field]).toEqual(['invalid-request', 'status']);
  });
});
