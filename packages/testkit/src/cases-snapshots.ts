import assert from 'node:assert/strict';
import { type PlatformDriver, resolveCapabilities, type Snapshot } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import type { CaseContext } from './target.js';

/** The not-found cases' snapshot id when the target gives none (a uuid, as Cinder and memory take). */
const MISSING_SNAPSHOT_ID = 'a0000000-0000-4000-8000-00000000cafe';

const noSnapshots = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).snapshots ? undefined : 'driver has no snapshots';

const keyOf = (ctx: CaseContext, suffix: string) =>
  ctx
    .name(suffix)
    .replace(/[^A-Za-z0-9._:-]/g, '')
    .slice(-60);

/** The driver's snapshot calls (the cases run only where the capability says they exist). */
function ops(driver: PlatformDriver) {
  const { createSnapshot, getSnapshot, listSnapshots, deleteSnapshot } = driver;
  assert.ok(
    createSnapshot && getSnapshot && listSnapshots && deleteSnapshot,
    'a driver with snapshots has all four',
  );
  return {
    create: createSnapshot.bind(driver),
    get: getSnapshot.bind(driver),
    list: listSnapshots.bind(driver),
    remove: deleteSnapshot.bind(driver),
  };
}

/** Runs `body` over a fresh available volume; afterwards deletes the snapshots made and the volume. */
async function withVolume(ctx: CaseContext, body: (volumeId: string, made: Snapshot[]) => Promise<void>) {
  const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
  const made: Snapshot[] = [];
  try {
    await body(volumeId, made);
  } finally {
    for (const s of made)
      await ops(ctx.driver)
        .remove({ snapshotId: s.id }, { wait: ctx.wait })
        .catch(() => {});
    await ctx.driver.deleteVolume?.({ volumeId }, { wait: ctx.wait }).catch(() => {});
  }
}

const meta = (ctx: CaseContext, suffix: string) => ({
  purpose: 'contract',
  case: ctx.name(suffix).slice(-40),
});

/** createSnapshot, getSnapshot, listSnapshots and deleteSnapshot (issue 27). */
export const snapshotCases: ContractCase[] = [
  {
    name: 'createSnapshot waits until available; it reads, lists by volume and metadata, and deletes once',
    skipIf: noSnapshots,
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const { create, get, list, remove } = ops(ctx.driver);
        const metadata = meta(ctx, 'snap-life');
        const snap = await create({ volumeId, name: ctx.name('snap-life'), metadata }, { wait: ctx.wait });
        made.push(snap);
        assert.equal(snap.status, 'available');
        assert.equal(snap.volumeId, volumeId);
        assert.ok(snap.sizeGiB >= 1, `sizeGiB ${snap.sizeGiB}`);
        assert.equal(snap.metadata.purpose, 'contract');
        assert.ok(!Number.isNaN(Date.parse(snap.createdAt)), `createdAt ${snap.createdAt}`);
        assert.equal((await get({ snapshotId: snap.id })).id, snap.id);
        const byVolume = (await list({ volumeId })).map((s) => s.id);
        assert.deepEqual(byVolume, [snap.id]);
        const byMeta = (await list({ metadata: { case: metadata.case } })).map((s) => s.id);
        assert.deepEqual(byMeta, [snap.id]);
        const deleted = await remove({ snapshotId: snap.id }, { wait: ctx.wait });
        assert.deepEqual(deleted, { snapshotId: snap.id, deleted: true });
        await expectBrokerError(get({ snapshotId: snap.id }), 'not-found');
        const again = await remove({ snapshotId: snap.id }, { wait: ctx.wait });
        assert.deepEqual(again, { snapshotId: snap.id, deleted: false }, 'a repeated delete is quiet');
      }),
  },
  {
    name: 'createSnapshot repeated with its key returns the same snapshot, from either broker; other params are conflict',
    skipIf: noSnapshots,
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const key = keyOf(ctx, 'snap-key');
        const request = { volumeId, name: ctx.name('snap-key'), metadata: meta(ctx, 'snap-key') };
        made.push(await ops(ctx.driver).create(request, { wait: ctx.wait, idempotencyKey: key }));
        const second = ops(ctx.secondDriver ?? ctx.driver);
        const again = await second.create(request, { wait: ctx.wait, idempotencyKey: key });
        assert.equal(again.id, made[0]?.id, 'the repeat returns the first snapshot');
        const error = await expectBrokerError(
          second.create(
            { ...request, name: ctx.name('snap-other') },
            { wait: ctx.wait, idempotencyKey: key },
          ),
          'conflict',
        );
        assert.equal(error.field, 'idempotencyKey');
        assert.ok(error.message.includes(key), `the message names the key: ${error.message}`);
        assert.match(error.message, /\bname\b/, 'the message names the differing field');
        assert.doesNotMatch(error.message, /\bvolumeId\b/, 'and no field that is the same');
        assert.equal((await second.list({ volumeId })).length, 1, 'one snapshot for the key');
      }),
  },
  {
    name: 'createSnapshot and deleteSnapshot with wait: false return once the cloud accepted them',
    skipIf: noSnapshots,
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const { create, get, remove } = ops(ctx.driver);
        const snap = await create({ volumeId, name: ctx.name('snap-nowait') }, { wait: false });
        made.push(snap);
        assert.ok(['creating', 'available'].includes(snap.status), `status ${snap.status}`);
        const until = Date.now() + (ctx.wait.timeoutMs ?? 15_000);
        while ((await get({ snapshotId: snap.id })).status !== 'available') {
          assert.ok(Date.now() < until, `snapshot ${snap.id} became available in time`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal((await remove({ snapshotId: snap.id }, { wait: false })).deleted, true);
      }),
  },
  {
    name: 'createSnapshot bad input names the field; a missing snapshot is not-found, its delete { deleted: false }',
    skipIf: noSnapshots,
    async run(ctx) {
      const { create, get, remove } = ops(ctx.driver);
      const noVolume = await expectBrokerError(
        create({ volumeId: '', name: ctx.name('snap-bad') }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(noVolume.field, 'volumeId');
      const noName = await expectBrokerError(
        create({ volumeId: MISSING_SNAPSHOT_ID, name: '' }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.equal(noName.field, 'name');
      const missing = ctx.fixtures.missingIds?.snapshotId ?? MISSING_SNAPSHOT_ID;
      await expectBrokerError(get({ snapshotId: missing }), 'not-found');
      assert.deepEqual(await remove({ snapshotId: missing }, { wait: ctx.wait }), {
        snapshotId: missing,
        deleted: false,
      });
    },
  },
  {
    name: 'createSnapshot of an attached volume needs force, then waits until available',
    skipIf: noSnapshots,
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const { create } = ops(ctx.driver);
        const server = await ctx.sharedServer();
        await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
        try {
          const refused = await expectBrokerError(
            create({ volumeId, name: ctx.name('snap-held') }, { wait: ctx.wait }),
            'invalid-state',
          );
          assert.match(refused.message, /force/);
          const snap = await create(
            { volumeId, name: ctx.name('snap-held'), force: true },
            { wait: ctx.wait },
          );
          made.push(snap);
          assert.equal(snap.status, 'available');
        } finally {
          await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
        }
      }),
  },
  {
    name: 'deleteVolume of a volume with snapshots is invalid-state naming them, and deletes nothing',
    skipIf: (ctx) =>
      noSnapshots(ctx) ??
      (resolveCapabilities(ctx.driver.capabilities).volumeLifecycle
        ? undefined
        : 'driver has no volumeLifecycle'),
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const snap = await ops(ctx.driver).create(
          { volumeId, name: ctx.name('snap-pin') },
          { wait: ctx.wait },
        );
        made.push(snap);
        const deleteVolume = ctx.driver.deleteVolume?.bind(ctx.driver);
        assert.ok(deleteVolume, 'a driver with volumeLifecycle has deleteVolume');
        const error = await expectBrokerError(
          deleteVolume({ volumeId }, { wait: ctx.wait }),
          'invalid-state',
        );
        // the cloud's own id at least: a multi-region driver names the region beside it
        const own = snap.id.slice(snap.id.lastIndexOf(':') + 1);
        assert.ok(error.message.includes(own), `the message names the snapshot: ${error.message}`);
        assert.equal((await ctx.driver.getVolume({ volumeId })).status, 'available');
      }),
  },
  {
    name: 'createVolume from a snapshot waits until available',
    skipIf: (ctx) => {
      const can = resolveCapabilities(ctx.driver.capabilities);
      return (
        noSnapshots(ctx) ??
        (can.volumeLifecycle && can.volumeFromSnapshot ? undefined : 'driver has no volumeFromSnapshot')
      );
    },
    run: (ctx) =>
      withVolume(ctx, async (volumeId, made) => {
        const snap = await ops(ctx.driver).create(
          { volumeId, name: ctx.name('snap-src') },
          { wait: ctx.wait },
        );
        made.push(snap);
        const createVolume = ctx.driver.createVolume?.bind(ctx.driver);
        assert.ok(createVolume, 'a driver with volumeFromSnapshot has createVolume');
        const request = {
          name: ctx.name('vol-from-snap'),
          sizeGiB: snap.sizeGiB,
          availabilityZone: ctx.fixtures.availabilityZone,
          fromSnapshotId: snap.id,
        };
        const volume = await createVolume(request, { wait: ctx.wait });
        try {
          assert.equal(volume.status, 'available');
          assert.equal(volume.sizeGiB, snap.sizeGiB);
        } finally {
          await ctx.driver.deleteVolume?.({ volumeId: volume.id }, { wait: ctx.wait }).catch(() => {});
        }
      }),
  },
];
