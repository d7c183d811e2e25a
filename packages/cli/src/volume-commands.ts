import { Command } from 'commander';
import { callOptions, type ReadFlags, readOptions, type WaitFlags } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { addVolumeList } from './list-commands.js';
import { addVolumeTagCommand } from './metadata-commands.js';
import { addVolumeMove } from './move-command.js';
import { renderAttachment, renderDetach, renderVolume } from './render.js';
import { runCommand } from './run-command.js';
import { addVolumeLifecycle } from './volume-lifecycle-commands.js';
import { addReadTimeout, addWaitOptions } from './wait-options.js';

interface DetachFlags extends WaitFlags {
  readonly force?: boolean;
}

interface AttachFlags extends WaitFlags {
  readonly device?: string;
  readonly readOnly?: boolean;
}

/** `volume get|list|attach|detach|move|create|delete`. */
export function volumeCommand(io: CliIo): Command {
  const volume = new Command('volume').description(
    'read, list, attach, detach, move, create and delete volumes',
  );

  const get = volume
    .command('get')
    .description('show a volume and its attachments')
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id');
  addReadTimeout(get).action((platform: string, volumeId: string, flags: ReadFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderVolume(await broker.platform(platform).getVolume({ volumeId }, readOptions(flags, signal))),
    ),
  );

  addVolumeList(volume, io);

  const attach = volume
    .command('attach')
    .description(
      'attach a volume to a server and wait until it is in-use; prints the device. Safe to repeat: ' +
        'attached there already is success, an attach under way is waited for, held by another server is a conflict naming it',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id')
    .argument('<server-id>', 'server id (in the same availability zone as the volume)')
    .option('--device <name>', 'device to ask for (/dev/vdb, /dev/sdf, lun:3); the cloud may pick another')
    .option('--read-only', 'attach read-only, where the cloud supports it');
  addWaitOptions(attach).action(
    (platform: string, volumeId: string, serverId: string, flags: AttachFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const request = {
          volumeId,
          serverId,
          ...(flags.device === undefined ? {} : { device: flags.device }),
          ...(flags.readOnly === true ? { readOnly: true } : {}),
        };
        const options = callOptions(flags, signal);
        return renderAttachment(await broker.platform(platform).attachVolume(request, options));
      }),
  );

  const detach = volume
    .command('detach')
    .description(
      'detach a volume from a server and wait until it is available. Safe to repeat: not attached is a no-op, ' +
        'a detach under way is waited for, an attach there in flight is let land and then detached',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id')
    .argument('<server-id>', 'server id')
    .option(
      '--force',
      'force a stuck detach (EC2 Force, Azure ForceDetach, Cinder os-force_detach: admin-only on OpenStack ' +
        'by default); the guest may lose writes it had not flushed',
    );
  addWaitOptions(detach).action(
    (platform: string, volumeId: string, serverId: string, flags: DetachFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const options = { ...callOptions(flags, signal), ...(flags.force === true ? { force: true } : {}) };
        const result = await broker.platform(platform).detachVolume({ volumeId, serverId }, options);
        return renderDetach(result, serverId, flags.force === true);
      }),
  );
  addVolumeMove(volume, io);
  addVolumeLifecycle(volume, io);
  addVolumeTagCommand(volume, io);
  return volume;
}
