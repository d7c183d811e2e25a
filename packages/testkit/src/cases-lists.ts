import assert from 'node:assert/strict';
import { resolveCapabilities } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import type { CaseContext } from './target.js';

const noServerList = (ctx: CaseContext) => (ctx.driver.listServers ? undefined : 'driver has no listServers');
const noVolumeList = (ctx: CaseContext) => (ctx.driver.listVolumes ? undefined : 'driver has no listVolumes');

/** listServers and listVolumes, with every filter. */
export const listCases: ContractCase[] = [
  {
    name: 'listServers finds a server by exact name, by metadata and by idempotency key, and nothing else',
    skipIf: noServerList,
    async run(ctx) {
      const list = ctx.driver.listServers?.bind(ctx.driver);
      if (!list) throw new Error('unreachable: skipped without listServers');
      const keyed = resolveCapabilities(ctx.driver.capabilities).idempotentCreate;
      const name = ctx.name('listed');
      const mark = { 'contract-list': ctx.name('mark') };
      const key = ctx
        .name('list-key')
        .replace(/[^A-Za-z0-9._:-]/g, '')
        .slice(-60);
      const server = await ctx.driver.createServer(
        {
          name,
          image: ctx.fixtures.image,
          flavor: ctx.fixtures.flavor,
          availabilityZone: ctx.fixtures.availabilityZone,
          ...(ctx.fixtures.networks ? { networks: ctx.fixtures.networks } : {}),
          metadata: mark,
        },
        { wait: ctx.wait, ...(keyed ? { idempotencyKey: key } : {}) },
      );
      try {
        const ids = async (filter: Parameters<typeof list>[0]) => (await list(filter)).map((s) => s.id);
        assert.deepEqual(await ids({ name }), [server.id], 'by exact name');
        // A prefix and a regular-expression look-alike must not match: the name filter is exact.
        assert.deepEqual(await ids({ name: name.slice(0, -1) }), [], 'a prefix of the name matches nothing');
        assert.deepEqual(await ids({ name: `${name.slice(0, -1)}.` }), [], 'the name is no pattern');
        assert.deepEqual(await ids({ metadata: mark }), [server.id], 'by metadata');
        assert.deepEqual(await ids({ metadata: { ...mark, other: 'x' } }), [], 'every pair must match');
        assert.deepEqual(await ids({ name, metadata: { 'contract-list': 'other' } }), [], 'filters combine');
        if (keyed) assert.deepEqual(await ids({ idempotencyKey: key }), [server.id], 'by idempotency key');
        assert.ok((await ids(undefined)).includes(server.id), 'an unfiltered list holds it');
      } finally {
        await ctx.driver.deleteServer({ serverId: server.id }, { wait: ctx.wait });
      }
    },
  },
  {
    name: 'listVolumes finds volumes by the server they are attached to and by status',
    skipIf: noVolumeList,
    async run(ctx) {
      const list = ctx.driver.listVolumes?.bind(ctx.driver);
      if (!list) throw new Error('unreachable: skipped without listVolumes');
      const server = await ctx.sharedServer();
      const [attached, free] = await Promise.all([
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
        ctx.fixtures.createVolume(ctx.fixtures.availabilityZone),
      ]);
      await ctx.driver.attachVolume({ serverId: server.id, volumeId: attached }, { wait: ctx.wait });
      try {
        const onServer = (await list({ serverId: server.id })).map((v) => v.id);
        assert.ok(onServer.includes(attached), 'the attached volume is listed under its server');
        assert.ok(!onServer.includes(free), 'a free volume is not');
        const available = (await list({ status: 'available' })).map((v) => v.id);
        assert.ok(available.includes(free) && !available.includes(attached), 'by status');
        const inUse = await list({ status: 'in-use', serverId: server.id });
        assert.ok(
          inUse.some((v) => v.id === attached && v.attachments.some((a) => a.serverId === server.id)),
          'filters combine, and listed volumes carry their attachments',
        );
      } finally {
        await ctx.driver.detachVolume({ serverId: server.id, volumeId: attached }, { wait: ctx.wait });
      }
    },
  },
];
