import {
  BrokerError,
  type FlavorFilter,
  IMAGE_STATUSES,
  type ImageFilter,
  type ImageStatus,
} from '@hybrid-broker/core';
import { Command } from 'commander';
import { type ReadFlags, readOptions } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { renderFlavorList, renderImageList } from './render-catalog.js';
import { runCommand } from './run-command.js';
import { addReadTimeout } from './wait-options.js';

interface ImageListFlags extends ReadFlags {
  readonly name?: string;
  readonly status?: string;
  readonly region?: string;
}

interface FlavorListFlags extends ReadFlags {
  readonly minVcpus?: string;
  readonly minRam?: string;
  readonly region?: string;
}

/** `image list`. */
export function imageCommand(io: CliIo): Command {
  const image = new Command('image').description('list the images servers can be created from');
  const list = image
    .command('list')
    .description('list the images that match every filter given (all of them without one), every page read')
    .argument('<platform>', 'platform name from the config')
    .option('--name <name>', 'only this exact name')
    .option('--status <status>', `only images in this status: ${IMAGE_STATUSES.join(', ')}`)
    .option('--region <region>', 'only this region, for drivers that span regions (default: every region)');
  addReadTimeout(list).action((platform: string, flags: ImageListFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const options = readOptions(flags, signal);
      return renderImageList(await broker.platform(platform).listImages(imageFilter(flags), options));
    }),
  );
  return image;
}

/** `flavor list`. */
export function flavorCommand(io: CliIo): Command {
  const flavor = new Command('flavor').description(
    'list the flavors (instance types, VM sizes) servers can have',
  );
  const list = flavor
    .command('list')
    .description('list the flavors that meet every bound given (all of them without one), every page read')
    .argument('<platform>', 'platform name from the config')
    .option('--min-vcpus <count>', 'only flavors with at least this many virtual CPUs')
    .option('--min-ram <MiB>', 'only flavors with at least this much memory, in MiB')
    .option('--region <region>', 'only this region, for drivers that span regions (default: every region)');
  addReadTimeout(list).action((platform: string, flags: FlavorListFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const options = readOptions(flags, signal);
      return renderFlavorList(await broker.platform(platform).listFlavors(flavorFilter(flags), options));
    }),
  );
  return flavor;
}

/** The image filter the flags ask for; a `--status` that is no normalized status names the flag. */
function imageFilter(flags: ImageListFlags): ImageFilter {
  const status = flags.status;
  if (status !== undefined && !(IMAGE_STATUSES as readonly string[]).includes(status)) {
    throw new BrokerError(
      'invalid-request',
      `--status: expected one of ${IMAGE_STATUSES.join(', ')}, got "${status}"`,
      { field: 'status' },
    );
  }
  return {
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(status === undefined ? {} : { status: status as ImageStatus }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
  };
}

/** The flavor filter the flags ask for; a bound that is no whole number names its flag. */
function flavorFilter(flags: FlavorListFlags): FlavorFilter {
  const minVcpus = count(flags.minVcpus, '--min-vcpus', 'minVcpus');
  const minRamMiB = count(flags.minRam, '--min-ram', 'minRamMiB');
  return {
    ...(minVcpus === undefined ? {} : { minVcpus }),
    ...(minRamMiB === undefined ? {} : { minRamMiB }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
  };
}

function count(text: string | undefined, flag: string, field: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) {
    throw new BrokerError('invalid-request', `${flag}: expected a whole number, got "${text}"`, { field });
  }
  return Number(text);
}
