import type { Command } from 'commander';
import { callOptions, type WaitFlags } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { renderMove } from './render-lists.js';
import { runCommand } from './run-command.js';
import { addWaitOptions } from './wait-options.js';

interface MoveFlags extends WaitFlags {
  readonly device?: string;
}

/** `volume move` under the `volume` command. */
export function addVolumeMove(volume: Command, io: CliIo): void {
  const move = volume
    .command('move')
    .description(
      'detach a volume from one server and attach it to another, waiting for each; if the attach fails ' +
        'the volume is attached back (the error then says rolled back). Zones are checked first. Safe to ' +
        'repeat: already on the target is success, detached from both is attached to the target',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id')
    .argument('<from-server-id>', 'server the volume is attached to now')
    .argument('<to-server-id>', 'server to attach it to (in the same availability zone)')
    .option('--device <name>', 'device to ask for on the target server; the cloud may pick another');
  addWaitOptions(move).action(
    (
      platform: string,
      volumeId: string,
      fromServerId: string,
      toServerId: string,
      flags: MoveFlags,
      command: Command,
    ) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const request = {
          volumeId,
          fromServerId,
          toServerId,
          ...(flags.device === undefined ? {} : { device: flags.device }),
        };
        const result = await broker.platform(platform).moveVolume(request, callOptions(flags, signal));
        return renderMove(result, fromServerId);
      }),
  );
}
