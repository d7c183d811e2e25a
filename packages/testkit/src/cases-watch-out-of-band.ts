import assert from 'node:assert/strict';
import type { Server } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { isResource, noWatch, reader } from './cases-watch.js';
import type { OutOfBandFixtures } from './out-of-band.js';
import type { CaseContext } from './target.js';

const noOutOfBand = (ctx: CaseContext) =>
  noWatch(ctx) ?? (ctx.fixtures.outOfBand ? undefined : 'fixture outOfBand not provided');

function outOfBand(ctx: CaseContext): OutOfBandFixtures {
  const fixtures = ctx.fixtures.outOfBand;
  if (!fixtures) throw new Error('unreachable: skipped without outOfBand');
  return fixtures;
}

/** A server of one case alone, made through the driver (the watch then follows it by id). */
function ownServer(ctx: CaseContext, suffix: string): Promise<Server> {
  return ctx.driver.createServer(
    {
      name: ctx.name(suffix),
      image: ctx.fixtures.image,
      flavor: ctx.fixtures.flavor,
      availabilityZone: ctx.fixtures.availabilityZone,
      ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
    },
    { wait: ctx.wait },
  );
}

/**
 * `platform.watch` against changes made through the cloud's own API (fixture `outOfBand`), not
 * through the driver: what the arbitrator must learn of others' attaches, detaches, deletes and
 * failing servers.
 */
export const watchOutOfBandCases: ContractCase[] = [
  {
    name: 'watch sees an attach, a detach and a volume delete made out of band',
    skipIf: noOutOfBand,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const { watch, until } = reader(ctx, { volumes: { ids: [volumeId] } });
      try {
        await until('synced', (e) => e.type === 'synced');
        await outOfBand(ctx).attach(server.id, volumeId);
        await until(
          'the attach',
          (e) =>
            isResource(e) &&
            e.id === volumeId &&
            e.changes.includes('attachments') &&
            'attachments' in e.resource &&
            e.resource.attachments.some((a) => a.serverId === server.id && a.state === 'attached'),
        );
        await outOfBand(ctx).detach(server.id, volumeId);
        await until(
          'the detach',
          (e) =>
            isResource(e) &&
            e.id === volumeId &&
            'attachments' in e.resource &&
            e.resource.attachments.length === 0 &&
            e.resource.status === 'available',
        );
        await outOfBand(ctx).deleteVolume(volumeId);
        const gone = await until(
          'the delete',
          (e) => isResource(e) && e.id === volumeId && e.type === 'deleted',
        );
        assert.ok(isResource(gone) && gone.changes.includes('deleted'), 'names deleted');
      } finally {
        watch.close();
      }
    },
  },
  {
    name: 'watch sees a server stopped out of band as a power change, and its delete as deleted',
    skipIf: noOutOfBand,
    async run(ctx) {
      const server = await ownServer(ctx, 'oob-stop');
      const { watch, until } = reader(ctx, { servers: { ids: [server.id] } });
      try {
        await until('synced', (e) => e.type === 'synced');
        await outOfBand(ctx).stopServer(server.id);
        const stopped = await until(
          'the stop',
          (e) =>
            isResource(e) &&
            e.id === server.id &&
            'powerState' in e.resource &&
            e.resource.powerState === 'stopped',
        );
        assert.ok(isResource(stopped) && stopped.changes.includes('power'), 'names power');
        await outOfBand(ctx).deleteServer(server.id);
        await until('the delete', (e) => isResource(e) && e.id === server.id && e.type === 'deleted');
      } finally {
        watch.close();
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait }).catch(() => undefined);
      }
    },
  },
  {
    name: 'watch sees a server that goes to error out of band as a status change',
    skipIf: (ctx) => {
      const failServer = ctx.fixtures.outOfBand?.failServer;
      return noOutOfBand(ctx) ?? (typeof failServer === 'string' ? failServer : undefined);
    },
    async run(ctx) {
      const { failServer } = outOfBand(ctx);
      if (typeof failServer === 'string') throw new Error('unreachable: skipped with its reason');
      const server = await ownServer(ctx, 'oob-error');
      const { watch, until } = reader(ctx, { servers: { ids: [server.id] } });
      try {
        await until('synced', (e) => e.type === 'synced');
        await failServer(server.id);
        const failed = await until(
          'the error',
          (e) => isResource(e) && e.id === server.id && e.resource.status === 'error',
        );
        assert.ok(isResource(failed) && failed.changes.includes('status'), 'names status');
      } finally {
        watch.close();
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait }).catch(() => undefined);
      }
    },
  },
];
