import assert from 'node:assert/strict';
import {
  type PlatformDriver,
  resolveCapabilities,
  type Server,
  type SetServerMetadataRequest,
  type SetVolumeMetadataRequest,
  type Volume,
} from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import { type CaseContext, DEFAULT_MISSING_IDS } from './target.js';

const noMetadata = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).metadata ? undefined : 'capability metadata not declared';

/** The key beside every driver's idempotency marker (core's request digest): never the caller's. */
const DIGEST_KEY = 'hybrid-broker-request-digest';

/** The two metadata calls of a driver that declares `metadata`. */
function calls(driver: PlatformDriver) {
  const { setVolumeMetadata, setServerMetadata } = driver;
  assert.ok(setVolumeMetadata && setServerMetadata, 'capability metadata declares both calls');
  return {
    volume: setVolumeMetadata.bind(driver) as (r: SetVolumeMetadataRequest, o?: object) => Promise<Volume>,
    server: setServerMetadata.bind(driver) as (r: SetServerMetadataRequest, o?: object) => Promise<Server>,
  };
}

/** A fresh volume of the target's, for one case. */
async function freshVolume(ctx: CaseContext): Promise<string> {
  return ctx.fixtures.createVolume(ctx.fixtures.availabilityZone);
}

/** `setVolumeMetadata` and `setServerMetadata` (issue 27), gated by capability `metadata`. */
export const metadataCases: ContractCase[] = [
  {
    name: 'setVolumeMetadata sets, merges with what is there, removes, and a fresh read shows each',
    skipIf: noMetadata,
    async run(ctx) {
      const set = calls(ctx.driver).volume;
      const volumeId = await freshVolume(ctx);
      const wait = { wait: ctx.wait };
      const first = await set({ volumeId, set: { owner: 'replica-a', logical: 'lv-1' } }, wait);
      assert.equal(first.id, volumeId);
      assert.equal(first.metadata?.owner, 'replica-a');
      const merged = await set({ volumeId, set: { owner: 'replica-b', extra: 'x' } }, wait);
      assert.deepEqual(
        [merged.metadata?.owner, merged.metadata?.logical, merged.metadata?.extra],
        ['replica-b', 'lv-1', 'x'],
        'a set merges: the other keys stay',
      );
      const removed = await set({ volumeId, remove: ['extra'] }, wait);
      assert.equal(removed.metadata?.extra, undefined);
      assert.equal(removed.metadata?.logical, 'lv-1');
      const read = await ctx.driver.getVolume({ volumeId });
      assert.deepEqual(
        [read.metadata?.owner, read.metadata?.extra],
        ['replica-b', undefined],
        'a fresh read',
      );
    },
  },
  {
    name: 'setServerMetadata sets and removes on a server; a remove of an absent key and a repeat converge',
    skipIf: noMetadata,
    async run(ctx) {
      const set = calls(ctx.driver).server;
      const { id: serverId } = await ctx.sharedServer();
      const wait = { wait: ctx.wait };
      const key = ctx.name('tag').slice(-40);
      const once = await set({ serverId, set: { [key]: 'volume@lv-1' } }, wait);
      assert.equal(once.metadata[key], 'volume@lv-1');
      const again = await set({ serverId, set: { [key]: 'volume@lv-1' } }, wait);
      assert.equal(again.metadata[key], 'volume@lv-1', 'the repeat returns the server as it is');
      const gone = await set({ serverId, remove: [key] }, wait);
      assert.equal(gone.metadata[key], undefined);
      const absent = await set({ serverId, remove: [key, `${key}-never`] }, wait);
      assert.equal(absent.metadata[key], undefined, 'a remove of absent keys is no error');
      assert.equal((await ctx.driver.getServer({ serverId })).metadata[key], undefined, 'a fresh read');
    },
  },
  {
    name: 'a repeated setVolumeMetadata and a remove of an absent key converge',
    skipIf: noMetadata,
    async run(ctx) {
      const set = calls(ctx.driver).volume;
      const volumeId = await freshVolume(ctx);
      const wait = { wait: ctx.wait };
      await set({ volumeId, set: { a: '1' } }, wait);
      const repeat = await set({ volumeId, set: { a: '1' } }, wait);
      assert.equal(repeat.metadata?.a, '1');
      const absent = await set({ volumeId, remove: ['never-there'] }, wait);
      assert.equal(absent.metadata?.a, '1');
      const early = await set({ volumeId, set: { b: '2' } }, { wait: false });
      assert.equal(early.id, volumeId, 'wait: false returns the volume');
      assert.equal((await set({ volumeId, set: { b: '2' } }, wait)).metadata?.b, '2');
    },
  },
  {
    name: 'bad metadata input names the field, limits are refused before anything is sent',
    skipIf: noMetadata,
    async run(ctx) {
      const set = calls(ctx.driver).volume;
      const volumeId = await freshVolume(ctx);
      const empty = await expectBrokerError(set({ volumeId }), 'invalid-request');
      assert.equal(empty.field, 'set');
      const both = await expectBrokerError(
        set({ volumeId, set: { a: '1' }, remove: ['a'] }),
        'invalid-request',
      );
      assert.equal(both.field, 'remove');
      // 300 characters: over every cloud's value limit (EC2 and Azure 256, OpenStack 255).
      const long = await expectBrokerError(
        set({ volumeId, set: { big: 'v'.repeat(300) } }),
        'invalid-request',
      );
      assert.equal(long.field, 'set.big');
      const tooMany = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']));
      // EC2 and Azure take at most 50 tags; Nova and Cinder have no per-pair count.
      if (ctx.driver.kind === 'aws' || ctx.driver.kind === 'azure') {
        const count = await expectBrokerError(set({ volumeId, set: tooMany }), 'invalid-request');
        assert.equal(count.field, 'set');
      }
      const read = await ctx.driver.getVolume({ volumeId });
      assert.equal(read.metadata?.big, undefined, 'nothing was sent');
      const missing = ctx.fixtures.missingIds ?? DEFAULT_MISSING_IDS;
      await expectBrokerError(
        set({ volumeId: missing.volumeId, set: { a: '1' } }, { wait: ctx.wait }),
        'not-found',
      );
      await expectBrokerError(
        calls(ctx.driver).server({ serverId: missing.serverId, set: { a: '1' } }, { wait: ctx.wait }),
        'not-found',
      );
    },
  },
  {
    name: "the driver's own idempotency marker can be neither set nor removed",
    skipIf: noMetadata,
    async run(ctx) {
      const { volume, server } = calls(ctx.driver);
      const volumeId = await freshVolume(ctx);
      const setIt = await expectBrokerError(
        volume({ volumeId, set: { [DIGEST_KEY]: 'v1' } }),
        'invalid-request',
      );
      assert.equal(setIt.field, `set.${DIGEST_KEY}`);
      const { id: serverId } = await ctx.sharedServer();
      const removeIt = await expectBrokerError(server({ serverId, remove: [DIGEST_KEY] }), 'invalid-request');
      assert.equal(removeIt.field, 'remove');
      assert.match(removeIt.message, /idempotency marker/);
    },
  },
];
