import type { MetadataChange } from '@hybrid-broker/core';
import type { Command } from 'commander';
import { callOptions, collect, parsePairs, type WaitFlags } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { renderServer, renderVolume } from './render.js';
import { runCommand } from './run-command.js';
import { addWaitOptions } from './wait-options.js';

interface TagFlags extends WaitFlags {
  readonly remove?: readonly string[];
}

const SAFE =
  'Safe to repeat: pairs already set and keys already gone are left as they are. ' +
  "The driver's own idempotency marker can be neither set nor removed";

/** The change of `<key=value>...` and `--remove <key>`s (the core schema names a bad field). */
function changeOf(pairs: readonly string[], flags: TagFlags): MetadataChange {
  return {
    ...(pairs.length === 0 ? {} : { set: parsePairs(pairs, 'set') }),
    ...(flags.remove === undefined ? {} : { remove: flags.remove }),
  };
}

/** `volume tag`: merges metadata (tags) into a volume; `--remove` takes keys off. */
export function addVolumeTagCommand(volume: Command, io: CliIo): void {
  const tag = volume
    .command('tag')
    .description(`set and remove a volume's metadata (tags), merged with what it holds. ${SAFE}`)
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id')
    .argument('[pairs...]', 'key=value pairs to set')
    .option('--remove <key>', 'a key to remove (repeatable)', collect);
  addWaitOptions(tag).action(
    (platform: string, volumeId: string, pairs: string[], flags: TagFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) =>
        renderVolume(
          await broker
            .platform(platform)
            .setVolumeMetadata({ volumeId, ...changeOf(pairs, flags) }, callOptions(flags, signal)),
        ),
      ),
  );
}

/** `server tag`: merges metadata (tags) into a server; `--remove` takes keys off. */
export function addServerTagCommand(server: Command, io: CliIo): void {
  const tag = server
    .command('tag')
    .description(`set and remove a server's metadata (tags), merged with what it holds. ${SAFE}`)
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id')
    .argument('[pairs...]', 'key=value pairs to set')
    .option('--remove <key>', 'a key to remove (repeatable)', collect);
  addWaitOptions(tag).action(
    (platform: string, serverId: string, pairs: string[], flags: TagFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) =>
        renderServer(
          await broker
            .platform(platform)
            .setServerMetadata({ serverId, ...changeOf(pairs, flags) }, callOptions(flags, signal)),
        ),
      ),
  );
}
