import assert from 'node:assert/strict';
import { isBrokerError, type PlatformDriver, resolveCapabilities } from '@hybrid-broker/core';
import { DEFAULT_WAIT } from '@hybrid-broker/core/driver-kit';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

/*
 * Convergence: every attach and detach is safe to repeat, from this process or
 * another one (the target's second driver instance), after the first call
 * returned early, was aborted, or raced the other. Modelled on the CSI
 * ControllerPublish/Unpublish contract.
 */

const needsSecond = (ctx: CaseContext) =>
  ctx.secondDriver ? undefined : 'target offers no second driver instance';
const singleAttach = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).multiAttach ? 'multi-attach driver' : undefined;

function second(ctx: CaseContext): PlatformDriver {
  if (!ctx.secondDriver) throw new Error('unreachable: the case is skipped without a second driver');
  return ctx.secondDriver;
}

/** Polls (via `driver`) until the volume left `available`: the cloud has accepted the attach. */
async function untilAccepted(driver: PlatformDriver, volumeId: string, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const v = await driver.getVolume({ volumeId });
    if (v.status !== 'available' || v.attachments.length > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`volume ${volumeId} never left available`);
}

/** Detaches, for cleanup, from whichever server holds the volume. */
async function release(ctx: CaseContext, volumeId: string): Promise<void> {
  const v = await ctx.driver.getVolume({ volumeId });
  for (const a of v.attachments) {
    await ctx.driver.detachVolume({ serverId: a.serverId, volumeId }, { wait: ctx.wait }).catch(() => {});
  }
}

/** Attach and detach converge when repeated, and races between two brokers end consistently. */
export const convergenceCases: ContractCase[] = [
  {
    name: 'attaching a volume already attached to that server returns the attachment with alreadyAttached',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const first = await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(first.alreadyAttached, undefined, 'the first attach sent the request');
      const again = await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(again.alreadyAttached, true);
      assert.equal(again.state, 'attached');
      assert.equal(again.serverId, server.id);
      if (first.device && again.device) assert.equal(again.device, first.device, 'the same attachment');
      await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
    },
  },
  {
    name: 'attaching a volume held by another server is conflict naming the holder, and changes nothing',
    skipIf: singleAttach,
    async run(ctx) {
      const [server, other] = await Promise.all([ctx.sharedServer(), ctx.otherServer()]);
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      const error = await expectBrokerError(
        ctx.driver.attachVolume({ serverId: other.id, volumeId }, { wait: ctx.wait }),
        'conflict',
      );
      assert.equal(error.heldBy?.toLowerCase(), server.id.toLowerCase(), 'heldBy names the holder');
      const after = await ctx.driver.getVolume({ volumeId });
      assert.deepEqual(
        after.attachments.map((a) => a.serverId.toLowerCase()),
        [server.id.toLowerCase()],
      );
      await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
    },
  },
  {
    name: 'another process repeating an attach and a detach sent with wait: false waits for them',
    skipIf: needsSecond,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const sent = await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: false });
      const repeated = await second(ctx).attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(repeated.state, 'attached');
      assert.equal(repeated.alreadyAttached, true, 'the repeat sent nothing');
      if (sent.device && repeated.device) assert.equal(repeated.device, sent.device, 'the same attachment');
      const volume = await ctx.driver.getVolume({ volumeId });
      assert.equal(volume.attachments.length, 1, 'one attachment');
      await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: false });
      const detached = await second(ctx).detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(detached.volume.status, 'available');
      assert.equal((await ctx.driver.getVolume({ volumeId })).attachments.length, 0);
    },
  },
  {
    name: 'another process repeating an attach aborted mid-wait finishes it',
    skipIf: needsSecond,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const controller = new AbortController();
      const first = ctx.driver
        .attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait, signal: controller.signal })
        .then(
          () => 'finished',
          (error: unknown) => (isBrokerError(error, 'aborted') ? 'aborted' : Promise.reject(error)),
        );
      await untilAccepted(second(ctx), volumeId);
      controller.abort();
      await first;
      const repeated = await second(ctx).attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(repeated.state, 'attached');
      assert.equal(repeated.alreadyAttached, true, 'the repeat sent nothing');
      assert.equal((await ctx.driver.getVolume({ volumeId })).status, 'in-use');
      await second(ctx).detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
    },
  },
  {
    name: 'two brokers attaching two volumes to one server at once both end attached on distinct devices',
    skipIf: needsSecond,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const [a, b] = await Promise.all([
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
      ]);
      const attachments = await Promise.all([
        ctx.driver.attachVolume({ serverId: server.id, volumeId: a }, { wait: ctx.wait }),
        second(ctx).attachVolume({ serverId: server.id, volumeId: b }, { wait: ctx.wait }),
      ]);
      assert.deepEqual(
        attachments.map((x) => x.state),
        ['attached', 'attached'],
      );
      const devices = await Promise.all(
        [a, b].map(async (volumeId, i) => {
          const v = await ctx.driver.getVolume({ volumeId });
          assert.equal(v.status, 'in-use');
          return v.attachments.find((x) => x.serverId === server.id)?.device ?? attachments[i]?.device;
        }),
      );
      assert.ok(devices[0] && devices[1], 'both devices are reported');
      assert.notEqual(devices[0], devices[1], 'devices differ');
      await Promise.all([a, b].map((volumeId) => release(ctx, volumeId)));
    },
  },
  {
    name: 'two brokers attaching one volume to two servers at once end with one holder and one fast conflict',
    skipIf: (ctx) => needsSecond(ctx) ?? singleAttach(ctx),
    async run(ctx) {
      const [server, other] = await Promise.all([ctx.sharedServer(), ctx.otherServer()]);
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const started = Date.now();
      // Each call's own time: the winner's attach may be slow on a loaded real stack, and only
      // the loser must end well before its deadline (a conflict, not a wait to the end).
      const settledAfter: number[] = [];
      const timed = <T>(index: number, call: Promise<T>) =>
        call.finally(() => {
          settledAfter[index] = Date.now() - started;
        });
      const outcomes = await Promise.allSettled([
        timed(0, ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait })),
        timed(1, second(ctx).attachVolume({ serverId: other.id, volumeId }, { wait: ctx.wait })),
      ]);
      const loserMs = settledAfter[outcomes.findIndex((o) => o.status === 'rejected')] ?? Number.NaN;
      const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      assert.equal(won.length, 1, `exactly one attach succeeds (${lost.map(String).join('; ')})`);
      assert.equal(lost.length, 1);
      const loss = lost[0];
      assert.ok(isBrokerError(loss, 'conflict'), `the loser gets conflict, not ${String(loss)}`);
      const holder = won[0]?.serverId ?? '';
      assert.equal(loss.heldBy?.toLowerCase(), holder.toLowerCase(), 'the conflict names the holder');
      const deadline = ctx.wait.timeoutMs ?? DEFAULT_WAIT.timeoutMs;
      assert.ok(
        loserMs < deadline / 2,
        `the loser did not wait out its ${deadline} ms deadline (${loserMs} ms)`,
      );
      const after = await ctx.driver.getVolume({ volumeId });
      assert.deepEqual(
        after.attachments.map((a) => a.serverId.toLowerCase()),
        [holder.toLowerCase()],
        'one holder',
      );
      await ctx.driver.detachVolume({ serverId: holder, volumeId }, { wait: ctx.wait });
    },
  },
  {
    name: 'a detach arriving while an attach to that server is in flight waits for it, then detaches',
    skipIf: needsSecond,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const pair = { serverId: server.id, volumeId };
      await ctx.driver.attachVolume(pair, { wait: false });
      const detach = await second(ctx).detachVolume(pair, { wait: ctx.wait });
      assert.equal(detach.detached, true, 'the in-flight attach was detached, not skipped');
      const after = await ctx.driver.getVolume({ volumeId });
      assert.equal(after.attachments.length, 0, 'the volume ends without the attachment');
      assert.equal(after.status, 'available');
    },
  },
  {
    name: 'an attach and a detach of one pair at once both succeed and the volume ends as the detach reports',
    skipIf: needsSecond,
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const pair = { serverId: server.id, volumeId };
      const [, detach] = await Promise.all([
        ctx.driver.attachVolume(pair, { wait: ctx.wait }),
        second(ctx).detachVolume(pair, { wait: ctx.wait }),
      ]);
      const after = await ctx.driver.getVolume({ volumeId });
      const here = after.attachments.filter((a) => a.serverId.toLowerCase() === server.id.toLowerCase());
      // The rule: a detach that finds an attach in flight waits for it, then detaches; one that
      // finds nothing is a no-op and the attach then holds. Either way nothing is left mid-way.
      if (detach.detached) {
        assert.equal(here.length, 0, 'detached: the volume ends without the attachment');
        assert.equal(after.status, 'available');
      } else {
        assert.equal(here[0]?.state, 'attached', 'not detached: the attach holds');
        assert.equal(after.status, 'in-use');
        await ctx.driver.detachVolume(pair, { wait: ctx.wait });
      }
    },
  },
];
