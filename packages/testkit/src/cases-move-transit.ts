import assert from 'node:assert/strict';
import type { PlatformDriver, Server } from '@hybrid-broker/core';
import { holders, mover, withPair } from './cases-move.js';
import type { ContractCase } from './cases-servers.js';
import type { CaseContext } from './target.js';

/*
 * A move that starts while the volume is still in a transition another call
 * began (issue 26, defect 1): a replica died after starting the public
 * client's attach and another replica moves the volume to the agent. Cinder
 * names no server while `attaching`, so a move that looks only at the
 * attachments takes its own source for a stranger. The move waits for the
 * transition, then moves.
 */

/** The move runs where the target offers one on a second driver: another replica, which never saw the first call. */
const replica = (ctx: CaseContext): PlatformDriver => ctx.secondDriver ?? ctx.driver;

/** A transition slow enough (where the target can slow it) that the move surely starts while it is under way. */
const SLOW_MS = 300;

/** Runs `body` with the target's attaches and detaches slowed, where it can slow them. */
async function slowed<T>(ctx: CaseContext, body: () => Promise<T>): Promise<T> {
  await ctx.fixtures.slowTransitions?.(SLOW_MS);
  try {
    return await body();
  } finally {
    await ctx.fixtures.slowTransitions?.(undefined);
  }
}

/**
 * Sends `begin` (an attach or detach with `wait: false`) on the first driver, then at once moves
 * the volume from `from` to `to` on a second replica, with the transitions slowed.
 */
function moveRightAfter(
  ctx: CaseContext,
  pair: { from: Server; to: Server; volumeId: string },
  begin: (driver: PlatformDriver) => Promise<unknown>,
) {
  return slowed(ctx, async () => {
    await begin(ctx.driver);
    return mover(ctx, replica(ctx))(
      { volumeId: pair.volumeId, fromServerId: pair.from.id, toServerId: pair.to.id },
      { wait: ctx.wait },
    );
  });
}

/** moveVolume started while an attach or detach of the volume is still under way. */
export const moveTransitCases: ContractCase[] = [
  {
    name: 'moveVolume right after an unfinished attach to the source waits for it, then moves',
    async run(ctx) {
      await withPair(
        ctx,
        async (pair) => {
          const { to, volumeId } = pair;
          const moved = await moveRightAfter(ctx, pair, (d) =>
            d.attachVolume({ serverId: pair.from.id, volumeId }, { wait: false }),
          );
          assert.deepEqual(
            [moved.attached, moved.attachment.serverId, moved.attachment.state],
            [true, to.id, 'attached'],
          );
          assert.deepEqual(await holders(ctx, volumeId), [to.id], 'on the target only');
        },
        { attached: false },
      );
    },
  },
  {
    name: 'moveVolume right after an unfinished detach from the source waits for it, then moves',
    async run(ctx) {
      await withPair(ctx, async (pair) => {
        const { to, volumeId } = pair;
        const moved = await moveRightAfter(ctx, pair, (d) =>
          d.detachVolume({ serverId: pair.from.id, volumeId }, { wait: false }),
        );
        assert.deepEqual(
          [moved.attached, moved.attachment.serverId, moved.attachment.state],
          [true, to.id, 'attached'],
        );
        assert.deepEqual(await holders(ctx, volumeId), [to.id], 'on the target only');
      });
    },
  },
  {
    name: 'moveVolume right after an unfinished attach to the target waits for it and returns alreadyAttached',
    async run(ctx) {
      await withPair(
        ctx,
        async (pair) => {
          const { to, volumeId } = pair;
          const moved = await moveRightAfter(ctx, pair, (d) =>
            d.attachVolume({ serverId: pair.to.id, volumeId }, { wait: false }),
          );
          assert.deepEqual(
            [moved.attachment.serverId, moved.attachment.state, moved.attachment.alreadyAttached],
            [to.id, 'attached', true],
          );
          assert.deepEqual(await holders(ctx, volumeId), [to.id], 'on the target only');
        },
        { attached: false },
      );
    },
  },
];
