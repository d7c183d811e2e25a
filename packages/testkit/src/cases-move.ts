import assert from 'node:assert/strict';
import {
  BrokerError,
  type CallOptions,
  type MoveVolumeRequest,
  type MoveVolumeResult,
  moveVolume,
  type Platform,
  type PlatformDriver,
  type Server,
} from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

/** The platform's own moveVolume where it has one (a broker's), else core's over the driver. */
export function mover(ctx: CaseContext, driver: PlatformDriver = ctx.driver) {
  const own = (driver as Partial<Platform>).moveVolume?.bind(driver);
  return (request: MoveVolumeRequest, options?: CallOptions): Promise<MoveVolumeResult> =>
    own ? own(request, options) : moveVolume(driver, request, options);
}

/** The driver with some calls replaced, to make one step of a move fail or stop. */
function intercepted(
  driver: PlatformDriver,
  over: Partial<Pick<PlatformDriver, 'attachVolume' | 'detachVolume'>>,
): PlatformDriver {
  return {
    kind: driver.kind,
    capabilities: driver.capabilities,
    createServer: (r, o) => driver.createServer(r, o),
    attachVolume: over.attachVolume ?? ((r, o) => driver.attachVolume(r, o)),
    detachVolume: over.detachVolume ?? ((r, o) => driver.detachVolume(r, o)),
    getServer: (r, o) => driver.getServer(r, o),
    getVolume: (r, o) => driver.getVolume(r, o),
    deleteServer: (r, o) => driver.deleteServer(r, o),
  };
}

/** How {@link withPair} sets the pair up: the agent's zone, and whether the volume starts on the source. */
export interface PairSetup {
  readonly zone?: string | undefined;
  /** Attach the volume to the source before `body` (default true). */
  readonly attached?: boolean;
}

/** A shared-server volume and a second server ("public client" -> "gateway agent"); cleans both up after `body`. */
export async function withPair(
  ctx: CaseContext,
  body: (pair: { from: Server; to: Server; volumeId: string }) => Promise<void>,
  setup: PairSetup = {},
): Promise<void> {
  const zone = setup.zone ?? ctx.fixtures.availabilityZone;
  const from = await ctx.sharedServer();
  const [to, volumeId] = await Promise.all([
    ctx.driver.createServer(
      {
        name: ctx.name('agent'),
        image: ctx.fixtures.image,
        flavor: ctx.fixtures.flavor,
        availabilityZone: zone,
        ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
      },
      { wait: ctx.wait },
    ),
    ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
  ]);
  try {
    if (setup.attached !== false)
      await ctx.driver.attachVolume({ serverId: from.id, volumeId }, { wait: ctx.wait });
    await body({ from, to, volumeId });
  } finally {
    for (const serverId of [from.id, to.id]) {
      await ctx.driver.detachVolume({ serverId, volumeId }, { wait: ctx.wait }).catch(() => {});
    }
    await ctx.driver.deleteServer({ serverId: to.id }, { wait: ctx.wait }).catch(() => {});
  }
}

/** The servers the volume is attached to now. */
export async function holders(ctx: CaseContext, volumeId: string): Promise<string[]> {
  return (await ctx.driver.getVolume({ volumeId })).attachments.map((a) => a.serverId);
}

const injected = () => new BrokerError('provider-error', 'injected by the contract: attach refused');

/** moveVolume: the move, its rollback, its repeats and its zone check. */
export const moveCases: ContractCase[] = [
  {
    name: 'moveVolume detaches from the source, attaches to the target, and a repeat returns alreadyAttached',
    async run(ctx) {
      await withPair(ctx, async ({ from, to, volumeId }) => {
        const move = mover(ctx);
        const moved = await move({ volumeId, fromServerId: from.id, toServerId: to.id }, { wait: ctx.wait });
        assert.equal(moved.detached, true, 'detached from the source');
        assert.equal(moved.attached, true, 'attached to the target');
        assert.equal(moved.attachment.serverId, to.id);
        assert.equal(moved.attachment.state, 'attached');
        assert.equal(moved.attachment.alreadyAttached, undefined);
        assert.deepEqual(await holders(ctx, volumeId), [to.id]);
        const again = await move({ volumeId, fromServerId: from.id, toServerId: to.id }, { wait: ctx.wait });
        assert.deepEqual(
          [again.detached, again.attached, again.attachment.alreadyAttached, again.attachment.serverId],
          [false, false, true, to.id],
        );
      });
    },
  },
  {
    name: 'a moveVolume whose attach to the target fails re-attaches the source and rejects with rolledBack',
    async run(ctx) {
      await withPair(ctx, async ({ from, to, volumeId }) => {
        const driver = intercepted(ctx.driver, {
          attachVolume: (r, o) =>
            r.serverId === to.id ? Promise.reject(injected()) : ctx.driver.attachVolume(r, o),
        });
        const error = await expectBrokerError(
          moveVolume(driver, { volumeId, fromServerId: from.id, toServerId: to.id }, { wait: ctx.wait }),
          'provider-error',
        );
        assert.equal(error.rolledBack, true, 'marked rolled back');
        assert.match(error.message, /injected/, "the attach's own error");
        assert.deepEqual(await holders(ctx, volumeId), [from.id], 'back on the source');
      });
    },
  },
  {
    name: 'a moveVolume whose rollback fails too rejects with both causes and rolledBack false',
    async run(ctx) {
      await withPair(ctx, async ({ from, to, volumeId }) => {
        const driver = intercepted(ctx.driver, { attachVolume: () => Promise.reject(injected()) });
        const error = await expectBrokerError(
          moveVolume(driver, { volumeId, fromServerId: from.id, toServerId: to.id }, { wait: ctx.wait }),
          'provider-error',
        );
        assert.equal(error.rolledBack, false);
        assert.ok(error.cause instanceof BrokerError, "the attach's error is the cause");
        assert.ok(error.rollbackError instanceof BrokerError, "the rollback's error is carried");
        assert.match(error.message, /re-attaching/);
        assert.deepEqual(await holders(ctx, volumeId), [], 'attached to nothing, and the error says so');
      });
    },
  },
  {
    name: 'moveVolume repeated after an abort at each step converges on the target',
    async run(ctx) {
      await withPair(ctx, async ({ from, to, volumeId }) => {
        const request = { volumeId, fromServerId: from.id, toServerId: to.id };
        // 1. Aborted during the detach's wait: the detach was sent, the volume is leaving the source.
        const duringDetach = intercepted(ctx.driver, {
          detachVolume: async (r) => {
            await ctx.driver.detachVolume(r, { wait: false });
            throw new BrokerError('aborted', 'aborted by the contract during the detach wait');
          },
        });
        await expectBrokerError(moveVolume(duringDetach, request, { wait: ctx.wait }), 'aborted');
        const resumed1 = await mover(ctx)(request, { wait: ctx.wait });
        assert.deepEqual([resumed1.attached, resumed1.attachment.serverId], [true, to.id]);
        // 2. Aborted between the steps: detached from the source, not yet attached anywhere.
        const back = { volumeId, fromServerId: to.id, toServerId: from.id };
        const between = new AbortController();
        const stopAfterDetach = intercepted(ctx.driver, {
          detachVolume: async (r, o) => {
            const result = await ctx.driver.detachVolume(r, o);
            between.abort();
            return result;
          },
        });
        await expectBrokerError(
          moveVolume(stopAfterDetach, back, { wait: ctx.wait, signal: between.signal }),
          'aborted',
        );
        assert.deepEqual(await holders(ctx, volumeId), [], 'stopped between the steps');
        const resumed2 = await mover(ctx)(back, { wait: ctx.wait });
        assert.deepEqual(
          [resumed2.detached, resumed2.attached, resumed2.attachment.serverId],
          [false, true, from.id],
        );
        // 3. Aborted during the attach's wait: sent to the target, not yet in use there. No rollback.
        const duringAttach = intercepted(ctx.driver, {
          attachVolume: async (r) => {
            await ctx.driver.attachVolume(r, { wait: false });
            throw new BrokerError('aborted', 'aborted by the contract during the attach wait');
          },
        });
        const aborted = await expectBrokerError(
          moveVolume(duringAttach, request, { wait: ctx.wait }),
          'aborted',
        );
        assert.notEqual(aborted.rolledBack, true, 'an aborted move is not rolled back');
        const settled = await mover(ctx)(request, { wait: ctx.wait });
        assert.equal(settled.attachment.serverId, to.id);
        assert.equal(settled.attachment.state, 'attached');
        assert.equal(
          settled.attachment.alreadyAttached,
          true,
          'the interrupted attach was waited for, not repeated',
        );
        assert.deepEqual(await holders(ctx, volumeId), [to.id]);
      });
    },
  },
  {
    name: 'moveVolume to a server in another zone is refused before anything is detached',
    skipIf: (ctx) =>
      ctx.fixtures.otherAvailabilityZone ? undefined : 'fixture otherAvailabilityZone not provided',
    async run(ctx) {
      await withPair(
        ctx,
        async ({ from, to, volumeId }) => {
          const error = await expectBrokerError(
            mover(ctx)({ volumeId, fromServerId: from.id, toServerId: to.id }, { wait: ctx.wait }),
            'invalid-request',
          );
          assert.match(error.message, /zone/);
          assert.deepEqual(await holders(ctx, volumeId), [from.id], 'still on the source');
        },
        { zone: ctx.fixtures.otherAvailabilityZone },
      );
    },
  },
];
