import assert from 'node:assert/strict';
import type { Platform, PlatformDriver } from '@hybrid-broker/core';
import { wrapDriver } from '@hybrid-broker/core/driver-kit';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

/** The target's driver as a platform (lists with a limit, iterators), if it is one. */
function platformOf(ctx: CaseContext): Platform | undefined {
  const driver = ctx.driver;
  return 'iterateVolumes' in driver && 'iterateServers' in driver ? (driver as Platform) : undefined;
}

const notPlatform = (ctx: CaseContext) =>
  platformOf(ctx) ? undefined : 'the target driver is not wrapped as a platform';
const noVolumePages = (ctx: CaseContext) =>
  notPlatform(ctx) ?? (ctx.driver.listVolumesPage ? undefined : 'driver has no listVolumesPage');

/** `platformOf(ctx)`, for a case its skip has already checked. */
function platform(ctx: CaseContext): Platform {
  const found = platformOf(ctx);
  if (!found) throw new Error('unreachable: skipped when the driver is no platform');
  return found;
}

/** At least two available volumes: the cases' own, so the list has more than one page of one. */
async function twoVolumes(ctx: CaseContext): Promise<string[]> {
  return Promise.all([
    ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
    ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
  ]);
}

async function idsOf(items: AsyncIterable<{ id: string }>): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of items) ids.push(item.id);
  return ids;
}

/**
 * A copy of `driver` whose volume page reads are counted and asked one result at a time
 * (`pageSize: 1`), wrapped again by core, so that laziness shows as a count of page reads.
 */
function countedPages(driver: PlatformDriver): { platform: Platform; reads: () => number } {
  const page = driver.listVolumesPage?.bind(driver);
  if (!page) throw new Error('unreachable: skipped without listVolumesPage');
  let reads = 0;
  const counted: PlatformDriver = {
    kind: driver.kind,
    capabilities: driver.capabilities,
    createServer: (r, o) => driver.createServer(r, o),
    attachVolume: (r, o) => driver.attachVolume(r, o),
    detachVolume: (r, o) => driver.detachVolume(r, o),
    getServer: (r, o) => driver.getServer(r, o),
    getVolume: (r, o) => driver.getVolume(r, o),
    deleteServer: (r, o) => driver.deleteServer(r, o),
    listVolumesPage: (filter, options) => {
      reads++;
      return page(filter, { ...options, pageSize: 1 });
    },
  };
  const context = { platform: 'paging', now: Date.now, secrets: [] };
  return { platform: wrapDriver(counted, context), reads: () => reads };
}

/** Lists with a limit and the list iterators, on every driver. */
export const pagingCases: ContractCase[] = [
  {
    name: 'a list with a limit returns at most that many, all of them in the full list',
    skipIf: notPlatform,
    async run(ctx) {
      const p = platform(ctx);
      await Promise.all([ctx.sharedServer(), ctx.otherServer(), twoVolumes(ctx)]);
      const servers = await p.listServers({}, { limit: 1 });
      assert.equal(servers.length, 1, 'one server of at least two');
      const allServers = (await p.listServers()).map((s) => s.id);
      assert.ok(allServers.includes(servers[0]?.id ?? ''), 'the limited server is in the full list');
      const volumes = await p.listVolumes({ status: 'available' }, { limit: 2 });
      assert.equal(volumes.length, 2, 'two volumes of at least two');
      assert.ok(
        volumes.every((v) => v.status === 'available'),
        'the filter still holds',
      );
      const error = await expectBrokerError(p.listVolumes({}, { limit: 0 }), 'invalid-request');
      assert.equal(error.field, 'limit', 'a bad limit names the field');
    },
  },
  {
    name: 'the list iterators yield the same set as the full lists',
    skipIf: notPlatform,
    async run(ctx) {
      const p = platform(ctx);
      const [server, other, made] = await Promise.all([
        ctx.sharedServer(),
        ctx.otherServer(),
        twoVolumes(ctx),
      ]);
      const servers = await idsOf(p.iterateServers());
      assert.deepEqual(new Set(servers), new Set((await p.listServers()).map((s) => s.id)), 'servers');
      assert.ok(servers.includes(server.id) && servers.includes(other.id), 'both servers are yielded');
      assert.equal(new Set(servers).size, servers.length, 'no server twice');
      const volumes = await idsOf(p.iterateVolumes({ status: 'available' }));
      const listed = (await p.listVolumes({ status: 'available' })).map((v) => v.id);
      assert.deepEqual(new Set(volumes), new Set(listed), 'volumes');
      assert.ok(
        made.every((id) => volumes.includes(id)),
        'the new volumes are yielded',
      );
      const limited = await idsOf(p.iterateVolumes({ status: 'available' }, { limit: 1 }));
      assert.equal(limited.length, 1, 'the iterator honours the limit');
    },
  },
  {
    name: 'breaking out of a volume iterator sends no further page read',
    skipIf: noVolumePages,
    async run(ctx) {
      await twoVolumes(ctx);
      const full = countedPages(ctx.driver);
      const all = await idsOf(full.platform.iterateVolumes({ status: 'available' }));
      assert.ok(all.length >= 2, 'at least two volumes are yielded');
      const early = countedPages(ctx.driver);
      // A page may hold no match (another region's, a filter the cloud cannot apply): count at the break.
      let atBreak = 0;
      for await (const _ of early.platform.iterateVolumes({ status: 'available' })) {
        atBreak = early.reads();
        break;
      }
      assert.ok(atBreak >= 1, 'a page was read before the first volume');
      assert.equal(early.reads(), atBreak, 'no page read after the break');
      // A cloud that pages at the size asked reads more pages for the whole list; one that ignores it, as many.
      assert.ok(full.reads() >= atBreak, 'the full iteration read at least as many pages');
    },
  },
];
