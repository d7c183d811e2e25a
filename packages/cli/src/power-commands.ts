import type { Command } from 'commander';
import { callOptions, type WaitFlags } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { renderServer } from './render.js';
import { runCommand } from './run-command.js';
import { addWaitOptions } from './wait-options.js';

interface StopFlags extends WaitFlags {
  readonly deallocate?: boolean;
}

interface RebootFlags extends WaitFlags {
  readonly hard?: boolean;
}

/** `server start|stop|reboot`, each waiting until the power state holds (or `--no-wait`). */
export function addPowerCommands(server: Command, io: CliIo): void {
  const start = server
    .command('start')
    .description(
      'start a stopped server and wait until it runs. Safe to repeat: a running server is left as it is',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id');
  addWaitOptions(start).action((platform: string, serverId: string, flags: WaitFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderServer(await broker.platform(platform).startServer({ serverId }, callOptions(flags, signal))),
    ),
  );

  const stop = server
    .command('stop')
    .description(
      'stop a running server and wait until it is stopped. Safe to repeat: a stopped server is left as it is',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id')
    .option('--deallocate', 'Azure: deallocate the VM too, so its compute is no longer billed');
  addWaitOptions(stop).action((platform: string, serverId: string, flags: StopFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const request = { serverId, ...(flags.deallocate === true ? { deallocate: true } : {}) };
      return renderServer(await broker.platform(platform).stopServer(request, callOptions(flags, signal)));
    }),
  );

  const reboot = server
    .command('reboot')
    .description('reboot a running server and wait until the reboot is over')
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id')
    .option('--hard', 'a hard reboot (a power cycle; OpenStack), instead of a soft one');
  addWaitOptions(reboot).action((platform: string, serverId: string, flags: RebootFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const request = { serverId, ...(flags.hard === true ? { hard: true } : {}) };
      return renderServer(await broker.platform(platform).rebootServer(request, callOptions(flags, signal)));
    }),
  );
}
