import assert from 'node:assert/strict';
import {
  type CreateVolumeRequest,
  type DeleteVolumeResult,
  type PlatformDriver,
  resolveCapabilities,
  type Volume,
} from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import { type CaseContext, DEFAULT_MISSING_IDS } from './target.js';

const noLifecycle = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).volumeLifecycle ? undefined : 'driver has no volumeLifecycle';

const keyOf = (ctx: CaseContext, suffix: string) =>
  ctx
    .name(suffix)
    .replace(/[^A-Za-z0-9._:-]/g, '')
    .slice(-60);

/** The driver's volume operations (the cases run only where the capability says they exist). */
function ops(driver: PlatformDriver) {
  const { createVolume, deleteVolume } = driver;
  assert.ok(createVolume && deleteVolume, 'a driver with volumeLifecycle has createVolume and deleteVolume');
  return { create: createVolume.bind(driver), remove: deleteVolume.bind(driver) };
}

const volumeRequest = (ctx: CaseContext, suffix: string, purpose = 'contract'): CreateVolumeRequest => ({
  name: ctx.name(suffix),
  sizeGiB: 1,
  availabilityZone: ctx.fixtures.availabilityZone,
  metadata: { purpose, case: ctx.name(suffix).slice(-40) },
});

async function removeAll(ctx: CaseContext, volumes: readonly (Volume | undefined)[]): Promise<void> {
  for (const v of volumes) {
    if (v)
      await ops(ctx.driver)
        .remove({ volumeId: v.id }, { wait: ctx.wait })
        .catch(() => {});
  }
}

/** createVolume and deleteVolume (issue 27): waits, repeats, key reuse, refusals. */
export const volumeLifecycleCases: ContractCase[] = [
  {
    name: 'createVolume waits until available; the volume reads, lists by metadata, and deletes once',
    skipIf: noLifecycle,
    async run(ctx) {
      const { create, remove } = ops(ctx.driver);
      const request = volumeRequest(ctx, 'vol-life');
      const made = await create(request, { wait: ctx.wait });
      try {
        assert.equal(made.status, 'available');
        assert.equal(made.sizeGiB, 1);
        assert.equal(made.availabilityZone, ctx.fixtures.availabilityZone);
        assert.equal(made.metadata?.purpose, 'contract');
        const read = await ctx.driver.getVolume({ volumeId: made.id });
        assert.equal(read.id, made.id);
        if (ctx.driver.listVolumes) {
          const listed = await ctx.driver.listVolumes({ metadata: { case: request.metadata?.case ?? '' } });
          assert.deepEqual(
            listed.map((v) => v.id),
            [made.id],
          );
        }
        const deleted: DeleteVolumeResult = await remove({ volumeId: made.id }, { wait: ctx.wait });
        assert.deepEqual(deleted, { volumeId: made.id, deleted: true });
        await expectBrokerError(ctx.driver.getVolume({ volumeId: made.id }), 'not-found');
        const again = await remove({ volumeId: made.id }, { wait: ctx.wait });
        assert.deepEqual(again, { volumeId: made.id, deleted: false }, 'a repeated delete is quiet');
      } finally {
        await removeAll(ctx, [made]);
      }
    },
  },
  {
    name: 'createVolume repeated with its key returns the same volume, from either broker; other params are conflict',
    skipIf: noLifecycle,
    async run(ctx) {
      const { create } = ops(ctx.driver);
      const key = keyOf(ctx, 'vol-key');
      const request = volumeRequest(ctx, 'vol-key');
      const made: Volume[] = [];
      try {
        made.push(await create(request, { wait: ctx.wait, idempotencyKey: key }));
        const second = ops(ctx.secondDriver ?? ctx.driver);
        const again = await second.create(request, { wait: ctx.wait, idempotencyKey: key });
        assert.equal(again.id, made[0]?.id, 'the repeat returns the first volume');
        const error = await expectBrokerError(
          second.create({ ...request, sizeGiB: 2 }, { wait: ctx.wait, idempotencyKey: key }),
          'conflict',
        );
        assert.equal(error.field, 'idempotencyKey');
        assert.ok(error.message.includes(key), `the message names the key: ${error.message}`);
        assert.match(error.message, /\bsizeGiB\b/, 'the message names the differing field');
        assert.doesNotMatch(error.message, /\bname\b|\bavailabilityZone\b/, 'and no field that is the same');
        if (ctx.driver.listVolumes) {
          const named = await ctx.driver.listVolumes({ name: request.name });
          assert.equal(named.length, 1, 'one volume for the key');
        }
      } finally {
        await removeAll(ctx, made);
      }
    },
  },
  {
    name: 'createVolume and deleteVolume with wait: false return once the cloud accepted them',
    skipIf: noLifecycle,
    async run(ctx) {
      const { create, remove } = ops(ctx.driver);
      const made = await create(volumeRequest(ctx, 'vol-nowait'), { wait: false });
      try {
        assert.ok(['creating', 'available'].includes(made.status), `status ${made.status}`);
        await waitAvailable(ctx, made.id);
        const deleted = await remove({ volumeId: made.id }, { wait: false });
        assert.equal(deleted.deleted, true);
      } finally {
        await removeAll(ctx, [made]);
      }
    },
  },
  {
    name: 'createVolume bad input names the field; deleteVolume of a missing volume is { deleted: false }',
    skipIf: noLifecycle,
    async run(ctx) {
      const { create, remove } = ops(ctx.driver);
      const bad = await expectBrokerError(
        create({ ...volumeRequest(ctx, 'vol-bad'), sizeGiB: 0 }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(bad.field, 'sizeGiB');
      const noZone = await expectBrokerError(
        create({ ...volumeRequest(ctx, 'vol-bad'), availabilityZone: '' }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(noZone.field, 'availabilityZone');
      const marker = await expectBrokerError(
        create(
          { ...volumeRequest(ctx, 'vol-bad'), metadata: { 'hybrid-broker-request-digest': 'v1' } },
          { wait: ctx.wait, idempotencyKey: keyOf(ctx, 'vol-bad') },
        ),
        'invalid-request',
      );
      assert.match(marker.field ?? '', /^metadata/);
      const missing = ctx.fixtures.missingIds?.volumeId ?? DEFAULT_MISSING_IDS.volumeId;
      assert.deepEqual(await remove({ volumeId: missing }, { wait: ctx.wait }), {
        volumeId: missing,
        deleted: false,
      });
    },
  },
  {
    name: 'deleteVolume of an attached volume is invalid-state naming its holder, and deletes nothing',
    skipIf: noLifecycle,
    async run(ctx) {
      const { create, remove } = ops(ctx.driver);
      const server = await ctx.sharedServer();
      const made = await create(volumeRequest(ctx, 'vol-held'), { wait: ctx.wait });
      try {
        await ctx.driver.attachVolume({ serverId: server.id, volumeId: made.id }, { wait: ctx.wait });
        const error = await expectBrokerError(
          remove({ volumeId: made.id }, { wait: ctx.wait }),
          'invalid-state',
        );
        assert.equal(error.heldBy, server.id);
        assert.ok(
          error.message.includes(server.providerId),
          `the message names the holder: ${error.message}`,
        );
        assert.equal((await ctx.driver.getVolume({ volumeId: made.id })).status, 'in-use');
        await ctx.driver.detachVolume({ serverId: server.id, volumeId: made.id }, { wait: ctx.wait });
      } finally {
        await removeAll(ctx, [made]);
      }
    },
  },
  {
    name: 'createVolume from an image waits until available',
    skipIf: (ctx) =>
      noLifecycle(ctx) ??
      (resolveCapabilities(ctx.driver.capabilities).volumeFromImage
        ? undefined
        : 'driver has no volumeFromImage') ??
      (ctx.fixtures.volumeImageId === undefined ? 'the target gives no fixtures.volumeImageId' : undefined),
    async run(ctx) {
      const request = { ...volumeRequest(ctx, 'vol-image'), fromImageId: ctx.fixtures.volumeImageId ?? '' };
      const made = await ops(ctx.driver).create(request, { wait: ctx.wait });
      try {
        assert.equal(made.status, 'available');
      } finally {
        await removeAll(ctx, [made]);
      }
    },
  },
];

/** Polls until a volume made with `wait: false` is available (the case's own wait, not the driver's). */
async function waitAvailable(ctx: CaseContext, volumeId: string): Promise<void> {
  const until = Date.now() + (ctx.wait.timeoutMs ?? 15_000);
  while ((await ctx.driver.getVolume({ volumeId })).status !== 'available') {
    assert.ok(Date.now() < until, `volume ${volumeId} became available in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
