import assert from 'node:assert/strict';
import { type CreateServerRequest, resolveCapabilities, type Server } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

const noAntiAffinity = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).antiAffinity ? undefined : 'driver has no antiAffinity';

const keyOf = (ctx: CaseContext, suffix: string) =>
  ctx
    .name(suffix)
    .replace(/[^A-Za-z0-9._:-]/g, '')
    .slice(-60);

function member(ctx: CaseContext, group: string, suffix: string): CreateServerRequest {
  return {
    name: ctx.name(suffix),
    image: ctx.fixtures.image,
    flavor: ctx.fixtures.flavor,
    ...(ctx.fixtures.antiAffinity?.zonal === false
      ? {}
      : { availabilityZone: ctx.fixtures.availabilityZone }),
    ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
    antiAffinityGroup: group,
  };
}

async function hostOf(ctx: CaseContext, server: Server): Promise<string> {
  const host = (await ctx.fixtures.antiAffinity?.hostOf?.(server.id)) ?? server.hostId;
  assert.ok(host, `the host of ${server.id} is known (driver hostId or the target's hostOf)`);
  return host;
}

async function deleteAll(ctx: CaseContext, servers: readonly (Server | undefined)[]): Promise<void> {
  for (const s of servers) {
    if (s) await ctx.driver.deleteServer({ serverId: s.id }, { wait: ctx.wait }).catch(() => {});
  }
}

/** `antiAffinityGroup` on createServer: spread, convergent, and a typed error past capacity. */
export const antiAffinityCases: ContractCase[] = [
  {
    name: 'servers created with one antiAffinityGroup land on different hosts',
    skipIf: noAntiAffinity,
    async run(ctx) {
      const group = ctx.name('aa-pair');
      const made: Server[] = [];
      try {
        made.push(await ctx.driver.createServer(member(ctx, group, 'aa-a'), { wait: ctx.wait }));
        made.push(await ctx.driver.createServer(member(ctx, group, 'aa-b'), { wait: ctx.wait }));
        const [a, b] = made as [Server, Server];
        assert.equal(a.status, 'running');
        assert.equal(b.status, 'running');
        assert.notEqual(await hostOf(ctx, a), await hostOf(ctx, b), 'the pair shares no host');
      } finally {
        await deleteAll(ctx, made);
      }
    },
  },
  {
    name: 'a create repeated with the same key and group converges: one server, one group, from either broker',
    skipIf: (ctx) =>
      noAntiAffinity(ctx) ??
      (resolveCapabilities(ctx.driver.capabilities).idempotentCreate ? undefined : 'no idempotentCreate'),
    async run(ctx) {
      const group = ctx.name('aa-repeat');
      const key = keyOf(ctx, 'aa-key');
      const second = ctx.secondDriver ?? ctx.driver;
      let first: Server | undefined;
      let other: Server | undefined;
      try {
        // Two brokers race to make the group: both must end in the same one.
        [first, other] = await Promise.all([
          ctx.driver.createServer(member(ctx, group, 'aa-r1'), { wait: ctx.wait, idempotencyKey: key }),
          second.createServer(member(ctx, group, 'aa-r2'), { wait: ctx.wait }),
        ]);
        const again = await second.createServer(member(ctx, group, 'aa-r1'), {
          wait: ctx.wait,
          idempotencyKey: key,
        });
        assert.equal(again.id, first.id, 'the repeat returns the first server');
        if (ctx.driver.listServers) {
          const keyed = await ctx.driver.listServers({ idempotencyKey: key });
          assert.deepEqual(
            keyed.map((s) => s.id),
            [first.id],
            'no duplicate server',
          );
        }
        const count = ctx.fixtures.antiAffinity?.countGroups;
        if (count) assert.equal(await count(group), 1, 'no duplicate group');
        assert.notEqual(await hostOf(ctx, first), await hostOf(ctx, other), 'the racing pair shares no host');
      } finally {
        await deleteAll(ctx, [first, other]);
      }
    },
  },
  {
    name: 'a group past the cloud capacity ends in placement-failed, leaves no server, and a repeat converges',
    skipIf: (ctx) =>
      noAntiAffinity(ctx) ??
      (ctx.fixtures.antiAffinity?.capacity === undefined
        ? 'the target states no anti-affinity capacity'
        : undefined) ??
      (resolveCapabilities(ctx.driver.capabilities).idempotentCreate ? undefined : 'no idempotentCreate'),
    async run(ctx) {
      const capacity = ctx.fixtures.antiAffinity?.capacity ?? 0;
      const group = ctx.name('aa-full');
      const key = keyOf(ctx, 'aa-over');
      const made: Server[] = [];
      try {
        for (let i = 0; i < capacity; i++) {
          made.push(await ctx.driver.createServer(member(ctx, group, `aa-m${i}`), { wait: ctx.wait }));
        }
        const over = member(ctx, group, 'aa-over');
        await expectBrokerError(
          ctx.driver.createServer(over, { wait: ctx.wait, idempotencyKey: key }),
          'placement-failed',
        );
        if (ctx.driver.listServers) {
          const left = (await ctx.driver.listServers({ idempotencyKey: key })).filter(
            (s) => s.status !== 'deleted' && s.status !== 'deleting',
          );
          assert.deepEqual(left, [], 'the refused create left no server behind');
        }
        // The same key again: the same typed error, still no server.
        await expectBrokerError(
          ctx.driver.createServer(over, { wait: ctx.wait, idempotencyKey: key }),
          'placement-failed',
        );
        // Once a member is gone the repeat succeeds, with one server.
        const freed = made.shift();
        if (freed) await ctx.driver.deleteServer({ serverId: freed.id }, { wait: ctx.wait });
        const placed = await ctx.driver.createServer(over, { wait: ctx.wait, idempotencyKey: key });
        made.push(placed);
        assert.equal(placed.status, 'running');
        if (ctx.driver.listServers) {
          const keyed = (await ctx.driver.listServers({ idempotencyKey: key })).filter(
            (s) => s.status !== 'deleted' && s.status !== 'deleting',
          );
          assert.deepEqual(
            keyed.map((s) => s.id),
            [placed.id],
            'one server for the key',
          );
        }
      } finally {
        await deleteAll(ctx, made);
      }
    },
  },
];
