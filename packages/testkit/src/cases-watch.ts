import assert from 'node:assert/strict';
import {
  type Platform,
  type PlatformDriver,
  resolveCapabilities,
  type WatchEvent,
  type WatchResourceEvent,
  type WatchSelector,
} from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import type { CaseContext } from './target.js';

/** Poll fast so a case sees its change within a second or two on a simulator. */
const POLL_MS = 100;

function watchable(driver: PlatformDriver): driver is Platform {
  return typeof (driver as Partial<Platform>).watch === 'function';
}

/** Why a watch case is skipped on this target, or undefined when it runs. */
export const noWatch = (ctx: CaseContext) => {
  if (!resolveCapabilities(ctx.driver.capabilities).watch) return 'driver lacks capability watch';
  return watchable(ctx.driver) ? undefined : 'the driver is not wrapped as a platform (no watch)';
};

function platformOf(ctx: CaseContext): Platform {
  if (!watchable(ctx.driver)) throw new Error('unreachable: skipped without watch');
  return ctx.driver;
}

/** An iterator of a watch whose reads give up after the case's wait timeout. */
export function reader(ctx: CaseContext, selector: WatchSelector) {
  const watch = platformOf(ctx).watch(selector, { pollMs: POLL_MS });
  const iterator = watch[Symbol.asyncIterator]();
  const timeoutMs = ctx.wait.timeoutMs ?? 15_000;
  /** The next event that `match` accepts, skipping others (transient errors, other resources). */
  async function until(what: string, match: (event: WatchEvent) => boolean): Promise<WatchEvent> {
    const seen: string[] = [];
    const end = Date.now() + timeoutMs;
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), Math.max(0, end - Date.now()));
      });
      const next = await Promise.race([iterator.next(), late]).finally(() => clearTimeout(timer));
      if (next === 'late')
        assert.fail(`no ${what} within ${timeoutMs} ms; saw ${seen.join(', ') || 'nothing'}`);
      if (next.done) assert.fail(`the watch ended before ${what}; saw ${seen.join(', ')}`);
      if (match(next.value)) return next.value;
      seen.push(
        'id' in next.value ? `${next.value.type} ${next.value.id} [${next.value.changes}]` : next.value.type,
      );
    }
  }
  return { watch, until, iterator };
}

/** An added, modified or deleted event (not synced or error). */
export const isResource = (event: WatchEvent): event is WatchResourceEvent => 'id' in event;

/** `platform.watch`: the first list, out-of-band changes and the end of a watch. */
export const watchCases: ContractCase[] = [
  {
    name: 'watch sends the selection as added, then synced, then an attach and a detach as attachment changes',
    skipIf: noWatch,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const { watch, until } = reader(ctx, { volumes: { ids: [volumeId] }, servers: { ids: [server.id] } });
      try {
        const added = new Set<string>();
        await until('synced', (e) => {
          if (isResource(e) && e.type === 'added') added.add(`${e.kind} ${e.id}`);
          return e.type === 'synced';
        });
        assert.deepEqual(
          [...added].sort(),
          [`server ${server.id}`, `volume ${volumeId}`].sort(),
          'first list as added',
        );
        await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
        await until(
          'the attach',
          (e) =>
            isResource(e) &&
            e.id === volumeId &&
            e.type === 'modified' &&
            e.changes.includes('attachments') &&
            'attachments' in e.resource &&
            e.resource.attachments.some((a) => a.serverId === server.id && a.state === 'attached'),
        );
        await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
        const detached = await until(
          'the detach',
          (e) =>
            isResource(e) &&
            e.id === volumeId &&
            e.type === 'modified' &&
            'attachments' in e.resource &&
            e.resource.attachments.length === 0,
        );
        assert.ok(isResource(detached) && detached.changes.includes('attachments'), 'names attachments');
      } finally {
        watch.close();
      }
    },
  },
  {
    name: 'watch sends a deleted server as deleted, and ends on close()',
    skipIf: noWatch,
    async run(ctx) {
      const server = await ctx.driver.createServer(
        {
          name: ctx.name('watched'),
          image: ctx.fixtures.image,
          flavor: ctx.fixtures.flavor,
          availabilityZone: ctx.fixtures.availabilityZone,
          ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
        },
        { wait: ctx.wait },
      );
      const { watch, until, iterator } = reader(ctx, { servers: { ids: [server.id] } });
      try {
        await until('synced', (e) => e.type === 'synced');
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
        const gone = await until(
          'the delete',
          (e) => isResource(e) && e.id === server.id && e.type === 'deleted',
        );
        assert.ok(isResource(gone) && gone.changes.includes('deleted'), 'names deleted');
      } finally {
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait }).catch(() => undefined);
        watch.close();
      }
      assert.deepEqual(await iterator.next(), { done: true, value: undefined }, 'a closed watch ends');
    },
  },
  {
    name: 'watch refuses a bad selector, naming its field',
    skipIf: noWatch,
    async run(ctx) {
      assert.throws(
        () => platformOf(ctx).watch({ volumes: { ids: [''] } }),
        (e: unknown) =>
          (e as { code?: string; field?: string }).code === 'invalid-request' &&
          (e as { field?: string }).field === 'selector.volumes.ids[0]',
      );
    },
  },
];
