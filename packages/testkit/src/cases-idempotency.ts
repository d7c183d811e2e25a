import assert from 'node:assert/strict';
import { resolveCapabilities, type Server } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

const noIdempotentCreate = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).idempotentCreate ? undefined : 'no idempotentCreate';

/** A key in the idempotency-key grammar, unique to this case. */
const keyOf = (ctx: CaseContext, suffix: string) =>
  ctx
    .name(suffix)
    .replace(/[^A-Za-z0-9._:-]/g, '')
    .slice(-60);

const request = (ctx: CaseContext, name: string, purpose: string) => ({
  name,
  image: ctx.fixtures.image,
  flavor: ctx.fixtures.flavor,
  availabilityZone: ctx.fixtures.availabilityZone,
  ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
  metadata: { purpose },
});

/** The rules of the idempotency key beyond a plain repeat (issue 26, defect 2). */
export const idempotencyCases: ContractCase[] = [
  {
    name: 'a create that reuses an idempotency key for another request is conflict naming the key and the fields',
    skipIf: noIdempotentCreate,
    async run(ctx) {
      const key = keyOf(ctx, 'reuse-key');
      const [name, other] = [ctx.name('reuse'), ctx.name('reuse-other')];
      const made: Server[] = [];
      try {
        made.push(
          await ctx.driver.createServer(request(ctx, name, 'contract'), {
            wait: ctx.wait,
            idempotencyKey: key,
          }),
        );
        const again = await ctx.driver.createServer(request(ctx, name, 'contract'), {
          wait: ctx.wait,
          idempotencyKey: key,
        });
        assert.equal(again.id, made[0]?.id, 'the same request with the key returns the first server');
        const error = await expectBrokerError(
          (ctx.secondDriver ?? ctx.driver).createServer(request(ctx, other, 'changed'), {
            wait: ctx.wait,
            idempotencyKey: key,
          }),
          'conflict',
        );
        assert.equal(error.field, 'idempotencyKey');
        assert.ok(error.message.includes(key), `the message names the key: ${error.message}`);
        assert.match(error.message, /\bname\b/, 'the message names the differing name');
        assert.match(error.message, /\bmetadata\b/, 'the message names the differing metadata');
        assert.doesNotMatch(error.message, /\bimage\b|\bflavor\b/, 'and no field that is the same');
        if (ctx.driver.listServers) {
          const named = await ctx.driver.listServers({ name: other });
          made.push(...named);
          assert.deepEqual(named, [], 'no server was made for the refused request');
        }
      } finally {
        for (const server of made) await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
      }
    },
  },
];
