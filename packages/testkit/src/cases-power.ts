import assert from 'node:assert/strict';
import { type PlatformDriver, resolveCapabilities, type Server } from '@hybrid-broker/core';
import type { ContractCase } from './cases-servers.js';
import { expectBrokerError } from './expect-error.js';
import { type CaseContext, DEFAULT_MISSING_IDS } from './target.js';

const noPower = (ctx: CaseContext) =>
  resolveCapabilities(ctx.driver.capabilities).power ? undefined : 'capability power not declared';

/** The three power calls of a driver that declares `power` (a driver that declares it has them). */
function power(driver: PlatformDriver) {
  const { startServer, stopServer, rebootServer } = driver;
  assert.ok(startServer && stopServer && rebootServer, 'capability power declares all three calls');
  return {
    start: startServer.bind(driver),
    stop: stopServer.bind(driver),
    reboot: rebootServer.bind(driver),
  };
}

function assertPower(server: Server, powerState: 'running' | 'stopped', what: string): void {
  assert.equal(server.powerState, powerState, `${what}: powerState`);
  assert.equal(server.status, powerState, `${what}: status`);
  assert.ok((server.providerPowerState ?? '').length > 0, `${what}: the provider's power state is kept`);
}

/** `startServer`, `stopServer` and `rebootServer`, gated by capability `power`; each ends with the server running. */
export const powerCases: ContractCase[] = [
  {
    name: 'a server stops, starts and reboots (soft and hard), each call waiting until its power state holds',
    skipIf: noPower,
    async run(ctx) {
      const { start, stop, reboot } = power(ctx.driver);
      const { id } = await ctx.powerServer();
      const wait = { wait: ctx.wait };
      assertPower(await stop({ serverId: id }, wait), 'stopped', 'after stopServer');
      assertPower(await ctx.driver.getServer({ serverId: id }), 'stopped', 'a fresh read after stopServer');
      // A reboot does not start a stopped server: that is startServer's call.
      await expectBrokerError(reboot({ serverId: id }, wait), 'invalid-state');
      assertPower(await start({ serverId: id }, wait), 'running', 'after startServer');
      assertPower(await ctx.driver.getServer({ serverId: id }), 'running', 'a fresh read after startServer');
      assertPower(await reboot({ serverId: id }, wait), 'running', 'after a soft rebootServer');
      assertPower(await reboot({ serverId: id, hard: true }, wait), 'running', 'after a hard rebootServer');
      assertPower(await ctx.driver.getServer({ serverId: id }), 'running', 'a fresh read after the reboots');
    },
  },
  {
    name: 'a repeated start or stop is quiet: the server is returned as it is',
    skipIf: noPower,
    async run(ctx) {
      const { start, stop } = power(ctx.driver);
      const { id } = await ctx.powerServer();
      const wait = { wait: ctx.wait };
      assertPower(await start({ serverId: id }, wait), 'running', 'a start of a running server');
      assertPower(await stop({ serverId: id }, wait), 'stopped', 'the first stop');
      assertPower(await stop({ serverId: id }, wait), 'stopped', 'a stop of a stopped server');
      assertPower(await start({ serverId: id }, wait), 'running', 'the first start');
      assertPower(await start({ serverId: id }, wait), 'running', 'the start repeated');
    },
  },
  {
    name: 'power calls on a missing server are not-found',
    skipIf: noPower,
    async run(ctx) {
      const { start, stop, reboot } = power(ctx.driver);
      const { serverId } = ctx.fixtures.missingIds ?? DEFAULT_MISSING_IDS;
      await expectBrokerError(start({ serverId }, { wait: ctx.wait }), 'not-found');
      await expectBrokerError(stop({ serverId }, { wait: ctx.wait }), 'not-found');
      await expectBrokerError(reboot({ serverId }, { wait: ctx.wait }), 'not-found');
    },
  },
  {
    name: 'a bad power request is invalid-request naming the field',
    skipIf: noPower,
    async run(ctx) {
      const { start, stop, reboot } = power(ctx.driver);
      const { id } = await ctx.powerServer();
      const empty = await expectBrokerError(start({ serverId: '' }), 'invalid-request');
      assert.equal(empty.field, 'serverId');
      const stopBad = await expectBrokerError(stop({ serverId: '.' }), 'invalid-request');
      assert.equal(stopBad.field, 'serverId');
      // A request typed loosely (from JSON) reaches the check as it is.
      const hard = await expectBrokerError(
        reboot(JSON.parse(`{"serverId":"${id}","hard":"yes"}`)),
        'invalid-request',
      );
      assert.equal(hard.field, 'hard');
      assert.equal((await ctx.driver.getServer({ serverId: id })).powerState, 'running', 'nothing was sent');
    },
  },
  {
    name: 'wait: false returns once the cloud took the change, and the change then holds',
    skipIf: noPower,
    async run(ctx) {
      const { start, stop } = power(ctx.driver);
      const { id } = await ctx.powerServer();
      const stopping = await stop({ serverId: id }, { wait: false });
      assert.ok(
        stopping.powerState === 'stopping' || stopping.powerState === 'stopped',
        `after stopServer with wait false: ${stopping.powerState}`,
      );
      // A stop of a stopping server joins it: nothing more is sent, and it returns once stopped.
      assertPower(await stop({ serverId: id }, { wait: ctx.wait }), 'stopped', 'the stop joined');
      const starting = await start({ serverId: id }, { wait: false });
      assert.ok(
        starting.powerState === 'starting' || starting.powerState === 'running',
        `after startServer with wait false: ${starting.powerState}`,
      );
      assertPower(await start({ serverId: id }, { wait: ctx.wait }), 'running', 'the start joined');
    },
  },
];
