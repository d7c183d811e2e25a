import assert from 'node:assert/strict';
import { resolveCapabilities } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

const noForce = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).forceDetach
    ? undefined
    : 'capability forceDetach not declared';
const noStuck = (ctx: CaseContext) =>
  noForce(ctx) ?? (ctx.fixtures.setVolumeStatus ? undefined : 'fixture setVolumeStatus not provided');

/** A volume attached to the shared server whose detach is then stuck (status `detaching`, never done). */
async function stuckDetaching(ctx: CaseContext) {
  const server = await ctx.sharedServer();
  const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
  await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
  await ctx.fixtures.setVolumeStatus?.(volumeId, 'stuck');
  return { serverId: server.id, volumeId };
}

/** `detachVolume(request, { force: true })`, gated by capability `forceDetach`. */
export const forceDetachCases: ContractCase[] = [
  {
    name: 'a forced detach frees a volume stuck in detaching, and waits until it is available',
    skipIf: noStuck,
    async run(ctx) {
      const { serverId, volumeId } = await stuckDetaching(ctx);
      // A plain detach only waits for the stuck one, to its deadline: that is why force exists.
      await expectBrokerError(
        ctx.driver.detachVolume({ serverId, volumeId }, { wait: { ...ctx.wait, timeoutMs: 300 } }),
        'timeout',
      );
      const result = await ctx.driver.detachVolume({ serverId, volumeId }, { wait: ctx.wait, force: true });
      assert.equal(result.detached, true, 'this call detached it');
      assert.equal(result.volume.status, 'available');
      assert.ok(!result.volume.attachments.some((a) => a.serverId === serverId), 'no attachment left there');
      const read = await ctx.driver.getVolume({ volumeId });
      assert.equal(read.status, 'available', 'a fresh read agrees');
    },
  },
  {
    name: 'a forced detach is safe to repeat: the second returns detached false, as a plain detach would',
    skipIf: noForce,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      const request = { serverId: server.id, volumeId };
      const first = await ctx.driver.detachVolume(request, { wait: ctx.wait, force: true });
      assert.equal(first.detached, true);
      assert.equal(first.volume.status, 'available');
      const again = await ctx.driver.detachVolume(request, { wait: ctx.wait, force: true });
      assert.equal(again.detached, false, 'nothing left to detach');
      assert.equal(again.volume.status, 'available');
      const plain = await ctx.driver.detachVolume(request, { wait: ctx.wait });
      assert.equal(plain.detached, false, 'a plain detach agrees');
    },
  },
  {
    name: 'a forced detach the credentials may not make is forbidden, saying what it needs',
    skipIf: (ctx) =>
      noStuck(ctx) ?? (ctx.fixtures.allowForceDetach ? undefined : 'fixture allowForceDetach not provided'),
    async run(ctx) {
      const { serverId, volumeId } = await stuckDetaching(ctx);
      await ctx.fixtures.allowForceDetach?.(false);
      try {
        const error = await expectBrokerError(
          ctx.driver.detachVolume({ serverId, volumeId }, { wait: ctx.wait, force: true }),
          'forbidden',
        );
        assert.match(error.message, /force/i, 'names the forced detach');
        assert.equal(error.retryable, false);
      } finally {
        await ctx.fixtures.allowForceDetach?.(true);
      }
      // With the right restored, the same call goes through: nothing was left half done.
      const result = await ctx.driver.detachVolume({ serverId, volumeId }, { wait: ctx.wait, force: true });
      assert.equal(result.volume.status, 'available');
    },
  },
];
