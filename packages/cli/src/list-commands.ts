import { VOLUME_STATUSES } from '@hybrid-broker/core';
import type { Command } from 'commander';
import { collect, type ReadFlags, readOptions } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import {
  listOptions,
  type ServerListFlags,
  serverFilter,
  type VolumeListFlags,
  volumeFilter,
} from './list-flags.js';
import { renderServerList, renderVolumeList } from './render-lists.js';
import { runCommand } from './run-command.js';
import { addReadTimeout } from './wait-options.js';

function addCommonFilters(command: Command): Command {
  return command
    .option('--name <name>', 'only this exact name (EC2: the Name tag)')
    .option(
      '--metadata <key=value>',
      'only those carrying this metadata or tag pair (repeatable: all must match)',
      collect,
    )
    .option('--region <region>', 'only this region, for drivers that span regions (default: every region)')
    .option('--limit <n>', 'at most this many, reading no more pages than needed (default: all)');
}

/** `server list` under the `server` command. */
export function addServerList(server: Command, io: CliIo): void {
  const list = server
    .command('list')
    .description('list the servers that match every filter given (all of them without one), up to --limit')
    .argument('<platform>', 'platform name from the config');
  addReadTimeout(addCommonFilters(list))
    .option('--idempotency-key <key>', 'only the server a create with this key made')
    .action((platform: string, flags: ServerListFlags & ReadFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const options = listOptions(flags, readOptions(flags, signal));
        return renderServerList(await broker.platform(platform).listServers(serverFilter(flags), options));
      }),
    );
}

/** `volume list` under the `volume` command. */
export function addVolumeList(volume: Command, io: CliIo): void {
  const list = volume
    .command('list')
    .description('list the volumes that match every filter given (all of them without one), up to --limit')
    .argument('<platform>', 'platform name from the config');
  addReadTimeout(addCommonFilters(list))
    .option('--server <server-id>', 'only volumes attached to this server')
    .option('--status <status>', `only volumes in this status: ${VOLUME_STATUSES.join(', ')}`)
    .action((platform: string, flags: VolumeListFlags & ReadFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const options = listOptions(flags, readOptions(flags, signal));
        return renderVolumeList(await broker.platform(platform).listVolumes(volumeFilter(flags), options));
      }),
    );
}
