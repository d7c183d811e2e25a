import assert from 'node:assert/strict';
import { resolveCapabilities } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import { type CaseContext, type ContractFixtures, DEFAULT_MISSING_IDS } from './target.js';

/** A volume attached to the shared server, then forced into `status` by the fixture. */
async function attachedThenForced(ctx: CaseContext, status: 'error' | 'stuck') {
  const server = await ctx.sharedServer();
  const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
  await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
  await ctx.fixtures.setVolumeStatus?.(volumeId, status);
  return { server, volumeId };
}

/** Attach, detach and their failure cases. */
export const volumeCases: ContractCase[] = [
  {
    name: 'an attachment names the stable paths the disk is expected under in the guest',
    skipIf: (ctx) =>
      resolveCapabilities(ctx.driver.capabilities).guestPaths
        ? undefined
        : 'capability guestPaths not declared',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const attachment = await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      try {
        const paths = attachment.guestPaths ?? [];
        assert.ok(paths.length > 0, 'at least one path');
        for (const path of paths) assert.match(path, /^\/dev\/[\w./:-]+$/, `${path} is a device path`);
        assert.equal(new Set(paths).size, paths.length, 'no path twice');
      } finally {
        await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      }
    },
  },
  {
    name: 'attachVolume waits until the volume is in-use with this server, and detachVolume until available',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const before = await ctx.driver.getVolume({ volumeId });
      assert.equal(before.status, 'available');
      const attachment = await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(attachment.state, 'attached');
      assert.equal(attachment.serverId, server.id);
      assert.equal(attachment.volumeId, volumeId);
      assert.ok(attachment.device && attachment.device.length > 0, 'the device is reported');
      const inUse = await ctx.driver.getVolume({ volumeId });
      assert.equal(inUse.status, 'in-use');
      assert.ok(
        inUse.attachments.some((a) => a.serverId === server.id),
        'the volume lists the server',
      );
      const detached = await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(detached.detached, true);
      assert.equal(detached.volume.status, 'available');
      assert.equal((await ctx.driver.getVolume({ volumeId })).status, 'available');
    },
  },
  {
    name: 'detaching a volume that is not attached to the server is a no-op result',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      const result = await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(result.detached, false);
      assert.equal(result.volume.status, 'available');
    },
  },
  {
    name: 'a second detach of the same volume is a no-op result',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      await ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait });
      assert.equal(
        (await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait })).detached,
        true,
      );
      assert.equal(
        (await ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait })).detached,
        false,
      );
    },
  },
  {
    name: 'concurrent attaches to one server both end attached on distinct devices',
    async run(ctx) {
      const server = await ctx.sharedServer();
      const [a, b] = await Promise.all([
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
      ]);
      const attachments = await Promise.all(
        [a, b].map((volumeId) =>
          ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait }),
        ),
      );
      assert.deepEqual(
        attachments.map((x) => x.state),
        ['attached', 'attached'],
      );
      assert.notEqual(attachments[0]?.device, attachments[1]?.device, 'devices differ');
      for (const volumeId of [a, b]) {
        assert.equal((await ctx.driver.getVolume({ volumeId })).status, 'in-use');
      }
      await Promise.all(
        [a, b].map((volumeId) =>
          ctx.driver.detachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait }),
        ),
      );
    },
  },
  {
    name: 'attaching across availability zones is refused before the cloud is asked, as invalid-request',
    skipIf: (ctx) => {
      if (!resolveCapabilities(ctx.driver.capabilities).availabilityZones) return 'no availability zones';
      return ctx.fixtures.otherAvailabilityZone ? undefined : 'fixture otherAvailabilityZone not provided';
    },
    async run(ctx) {
      const server = await ctx.sharedServer();
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.otherAvailabilityZone as string);
      const error = await expectBrokerError(
        ctx.driver.attachVolume({ serverId: server.id, volumeId }, { wait: ctx.wait }),
        'invalid-request',
      );
      assert.match(error.message, /zone/i);
      assert.equal(
        (await ctx.driver.getVolume({ volumeId })).status,
        'available',
        'the volume was left alone',
      );
    },
  },
  {
    name: 'attaching to a missing server is not-found',
    async run(ctx) {
      const volumeId = await ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
      await expectBrokerError(
        ctx.driver.attachVolume({ serverId: missing(ctx).serverId, volumeId }, { wait: ctx.wait }),
        'not-found',
      );
    },
  },
  {
    name: 'getVolume of a missing volume is not-found',
    async run(ctx) {
      await expectBrokerError(ctx.driver.getVolume({ volumeId: missing(ctx).volumeId }), 'not-found');
    },
  },
  {
    name: 'a volume that goes to error ends the wait at once with provider-error and its last state',
    skipIf: (ctx) => (ctx.fixtures.setVolumeStatus ? undefined : 'fixture setVolumeStatus not provided'),
    async run(ctx) {
      const { server, volumeId } = await attachedThenForced(ctx, 'error');
      const started = Date.now();
      const error = await expectBrokerError(
        ctx.driver.detachVolume(
          { serverId: server.id, volumeId },
          { wait: { ...ctx.wait, timeoutMs: 10_000 } },
        ),
        'provider-error',
        'invalid-state',
      );
      assert.ok(Date.now() - started < 5_000, 'did not wait out the deadline');
      if (error.code === 'provider-error') assert.ok(error.lastState !== undefined, 'carries the last state');
    },
  },
  {
    name: 'a volume stuck in a transition ends the wait with timeout at the deadline',
    skipIf: (ctx) => (ctx.fixtures.setVolumeStatus ? undefined : 'fixture setVolumeStatus not provided'),
    async run(ctx) {
      const { server, volumeId } = await attachedThenForced(ctx, 'stuck');
      // The deadline leaves room for the first read on a loaded machine: the state is carried
      // once any read happened (the engine notes it). 300 ms was too short under CI's load on
      // cloud-sim, and 1 s for a Cinder read on the real stack at a load average of 18.
      const error = await expectBrokerError(
        ctx.driver.detachVolume(
          { serverId: server.id, volumeId },
          { wait: { ...ctx.wait, timeoutMs: 3_000 } },
        ),
        'timeout',
      );
      assert.ok(error.lastState !== undefined, 'carries the last state');
      assert.equal(error.retryable, true, 'a timeout is retryable: a repeat is safe and may succeed');
      assert.deepEqual(
        JSON.parse(JSON.stringify(error)).lastState,
        JSON.parse(JSON.stringify(error.lastState)),
        'toJSON (the CLI --json error) carries it too',
      );
    },
  },
  {
    name: 'aborting during a wait ends it at once with aborted',
    skipIf: (ctx) => (ctx.fixtures.setVolumeStatus ? undefined : 'fixture setVolumeStatus not provided'),
    async run(ctx) {
      const { server, volumeId } = await attachedThenForced(ctx, 'stuck');
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      await expectBrokerError(
        ctx.driver.detachVolume(
          { serverId: server.id, volumeId },
          { wait: { ...ctx.wait, timeoutMs: 60_000 }, signal: controller.signal },
        ),
        'aborted',
      );
      assert.ok(Date.now() - started < 3_000, 'ended soon after the abort');
    },
  },
];

/** Ids that name nothing, in the target's id grammar. */
function missing(ctx: { fixtures: ContractFixtures }): { serverId: string; volumeId: string } {
  return ctx.fixtures.missingIds ?? DEFAULT_MISSING_IDS;
}
