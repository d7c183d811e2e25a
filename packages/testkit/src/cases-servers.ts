import assert from 'node:assert/strict';
import { resolveCapabilities } from '@hybrid-broker/core';
import { expectBrokerError } from './expect-error.js';
import { type CaseContext, type ContractFixtures, DEFAULT_MISSING_IDS } from './target.js';

/** One behaviour every driver must show. */
export interface ContractCase {
  readonly name: string;
  /** Returns a reason to skip, or undefined to run. */
  readonly skipIf?: (ctx: CaseContext) => string | undefined;
  run(ctx: CaseContext): Promise<void>;
}

const serverRequest = (ctx: CaseContext, suffix: string) => ({
  name: ctx.name(suffix),
  image: ctx.fixtures.image,
  flavor: ctx.fixtures.flavor,
  availabilityZone: ctx.fixtures.availabilityZone,
  ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
  metadata: { purpose: 'contract' },
});

/** Server lifecycle cases. */
export const serverCases: ContractCase[] = [
  {
    name: 'createServer waits until the server is running and normalizes it',
    async run(ctx) {
      const server = await ctx.driver.createServer(serverRequest(ctx, 'create'), { wait: ctx.wait });
      assert.equal(server.status, 'running');
      assert.equal(server.name, ctx.name('create'));
      assert.ok(server.id.length > 0 && server.providerId.length > 0, 'ids are set');
      assert.ok(server.providerStatus.length > 0, 'provider status is kept');
      assert.equal(server.availabilityZone, ctx.fixtures.availabilityZone);
      const again = await ctx.driver.getServer({ serverId: server.id });
      assert.equal(again.id, server.id);
      assert.equal(again.status, 'running');
      await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
    },
  },
  {
    name: 'createServer with wait: false returns before the server is running',
    async run(ctx) {
      const server = await ctx.driver.createServer(serverRequest(ctx, 'nowait'), { wait: false });
      assert.ok(['building', 'running'].includes(server.status), `status ${server.status}`);
      await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
    },
  },
  {
    name: 'createServer with the same idempotency key twice makes one server',
    skipIf: (ctx) =>
      resolveCapabilities(ctx.driver.capabilities).idempotentCreate
        ? undefined
        : 'idempotentCreate not declared',
    async run(ctx) {
      const key = ctx
        .name('key')
        .replace(/[^A-Za-z0-9._:-]/g, '-')
        .slice(0, 64);
      const first = await ctx.driver.createServer(serverRequest(ctx, 'idem'), {
        wait: ctx.wait,
        idempotencyKey: key,
      });
      const second = await ctx.driver.createServer(serverRequest(ctx, 'idem'), {
        wait: ctx.wait,
        idempotencyKey: key,
      });
      assert.equal(second.id, first.id, 'the retried create returned the first server');
      await ctx.driver.deleteServer({ serverId: first.id }, { wait: ctx.wait });
    },
  },
  {
    name: 'a server whose build ends in error ends the wait at once with provider-error',
    skipIf: (ctx) => (ctx.fixtures.failNextBuild ? undefined : 'fixture failNextBuild not provided'),
    async run(ctx) {
      await ctx.fixtures.failNextBuild?.();
      const started = Date.now();
      const error = await expectBrokerError(
        ctx.driver.createServer(serverRequest(ctx, 'fails'), { wait: { ...ctx.wait, timeoutMs: 10_000 } }),
        'provider-error',
      );
      assert.ok(Date.now() - started < 5_000, 'did not wait out the deadline');
      assert.ok(error.lastState !== undefined, 'the error carries the last seen state');
    },
  },
  {
    name: 'getServer of a missing server is not-found',
    async run(ctx) {
      await expectBrokerError(ctx.driver.getServer({ serverId: missing(ctx).serverId }), 'not-found');
    },
  },
  {
    name: 'deleteServer waits until the server is gone, and a second delete is a no-op',
    async run(ctx) {
      const server = await ctx.driver.createServer(serverRequest(ctx, 'delete'), { wait: ctx.wait });
      const first = await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
      assert.deepEqual(first, { serverId: server.id, deleted: true });
      await expectBrokerError(ctx.driver.getServer({ serverId: server.id }), 'not-found');
      const second = await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
      assert.equal(second.deleted, false);
    },
  },
  {
    name: 'an aborted signal ends a create at once with aborted',
    async run(ctx) {
      const controller = new AbortController();
      controller.abort();
      await expectBrokerError(
        ctx.driver.createServer(serverRequest(ctx, 'aborted'), { wait: ctx.wait, signal: controller.signal }),
        'aborted',
      );
    },
  },
  {
    name: 'a request with a bad field is invalid-request naming the field',
    async run(ctx) {
      const error = await expectBrokerError(
        ctx.driver.createServer({ ...serverRequest(ctx, 'bad'), name: '' }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(error.field, 'name');
    },
  },
];

/** Ids that name nothing, in the target's id grammar. */
function missing(ctx: { fixtures: ContractFixtures }): { serverId: string; volumeId: string } {
  return ctx.fixtures.missingIds ?? DEFAULT_MISSING_IDS;
}
