import type { CreateVolumeRequest, DeleteVolumeResult } from '@hybrid-broker/core';
import { BrokerError } from '@hybrid-broker/core';
import type { Command } from 'commander';
import { callOptions, collect, parsePairs, type WaitFlags } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { type CommandResult, renderVolume } from './render.js';
import { runCommand } from './run-command.js';
import { addWaitOptions } from './wait-options.js';

interface CreateVolumeFlags extends WaitFlags {
  readonly size: string;
  readonly availabilityZone: string;
  readonly region?: string;
  readonly type?: string;
  readonly fromSnapshot?: string;
  readonly fromImage?: string;
  readonly metadata?: readonly string[];
}

/** `volume create` and `volume delete` under the `volume` command. */
export function addVolumeLifecycle(volume: Command, io: CliIo): void {
  const create = volume
    .command('create')
    .description(
      'create a volume and wait until it is available. Safe to repeat with --idempotency-key: ' +
        'the key returns the same volume from any process, and other parameters with it are a conflict',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<name>', 'volume name')
    .requiredOption('--size <GiB>', 'size in GiB, a whole number')
    .requiredOption('--availability-zone <zone>', 'zone (servers that attach it must be in it)')
    .option('--region <region>', 'region, for drivers that span regions')
    .option('--type <type>', 'volume type (Cinder type, EBS gp3, Azure Premium_LRS)')
    .option('--from-snapshot <id>', 'make it from this snapshot')
    .option('--from-image <id>', 'make it from this image')
    .option('--metadata <key=value>', 'metadata or tag (repeatable)', collect)
    .option('--idempotency-key <key>', 'makes the create safe to repeat, from any process');
  addWaitOptions(create).action(
    (platform: string, name: string, flags: CreateVolumeFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const request: CreateVolumeRequest = {
          name,
          sizeGiB: sizeOf(flags.size),
          availabilityZone: flags.availabilityZone,
          ...(flags.region === undefined ? {} : { region: flags.region }),
          ...(flags.type === undefined ? {} : { volumeType: flags.type }),
          ...(flags.fromSnapshot === undefined ? {} : { fromSnapshotId: flags.fromSnapshot }),
          ...(flags.fromImage === undefined ? {} : { fromImageId: flags.fromImage }),
          ...(flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') }),
        };
        return renderVolume(
          await broker.platform(platform).createVolume(request, callOptions(flags, signal)),
        );
      }),
  );

  const remove = volume
    .command('delete')
    .description(
      'delete a volume and wait until it is gone. Safe to repeat: already gone is a no-op; ' +
        'an attached volume is refused (invalid-state naming the server), never forced',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'volume id');
  addWaitOptions(remove).action((platform: string, volumeId: string, flags: WaitFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderVolumeDelete(
        await broker.platform(platform).deleteVolume({ volumeId }, callOptions(flags, signal)),
      ),
    ),
  );
}

/** `--size` as whole GiB; anything else is `invalid-request` naming the flag. */
function sizeOf(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new BrokerError(
      'invalid-request',
      `--size: expected a positive whole number of GiB, got "${text}"`,
      {
        field: 'size',
      },
    );
  }
  return value;
}

/** What `volume delete` did. */
function renderVolumeDelete(result: DeleteVolumeResult): CommandResult {
  const text = result.deleted
    ? `volume ${result.volumeId} deleted`
    : `volume ${result.volumeId} was already gone; nothing to do`;
  return { value: result, text };
}
