import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BrokerError, type CreateServerRequest } from '@hybrid-broker/core';
import { Command } from 'commander';
import {
  callOptions,
  collect,
  parsePairs,
  type ReadFlags,
  readOptions,
  type WaitFlags,
} from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { addServerList } from './list-commands.js';
import { addServerTagCommand } from './metadata-commands.js';
import { addPowerCommands } from './power-commands.js';
import { renderDelete, renderServer } from './render.js';
import { runCommand } from './run-command.js';
import { addReadTimeout, addWaitOptions } from './wait-options.js';

interface CreateFlags extends WaitFlags {
  readonly image: string;
  readonly flavor: string;
  readonly availabilityZone?: string;
  readonly region?: string;
  readonly network?: string[];
  readonly securityGroup?: string[];
  readonly keyName?: string;
  readonly userData?: string;
  readonly adminUsername?: string;
  readonly sshPublicKey?: string;
  readonly metadata?: string[];
}

/** `server create|get|list|delete|start|stop|reboot`. */
export function serverCommand(io: CliIo): Command {
  const server = new Command('server').description(
    'create, read, list, delete, start, stop and reboot servers',
  );

  addServerCreate(server, io);

  const get = server
    .command('get')
    .description('show a server')
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id');
  addReadTimeout(get).action((platform: string, serverId: string, flags: ReadFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderServer(await broker.platform(platform).getServer({ serverId }, readOptions(flags, signal))),
    ),
  );

  addServerList(server, io);

  const remove = server
    .command('delete')
    .description(
      'delete a server and wait until it is gone. Safe to repeat: a delete under way is waited for, a missing server is not an error',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<server-id>', 'server id');
  addWaitOptions(remove).action((platform: string, serverId: string, flags: WaitFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderDelete(await broker.platform(platform).deleteServer({ serverId }, callOptions(flags, signal))),
    ),
  );
  addPowerCommands(server, io);
  addServerTagCommand(server, io);
  return server;
}

/** `server create`: builds the request from the flags and waits until the server runs. */
function addServerCreate(server: Command, io: CliIo): void {
  const create = server
    .command('create')
    .description('create a server from an image and wait until it is running')
    .argument('<platform>', 'platform name from the config')
    .argument('<name>', 'server name')
    .requiredOption('--image <image>', 'image id or name')
    .requiredOption('--flavor <flavor>', 'flavor id or name (instance type, VM size)')
    .option('--availability-zone <zone>', "availability zone (put it in the volume's zone to attach it)")
    .option('--region <region>', 'region, for drivers that span regions')
    .option('--network <id>', 'network or subnet to attach (repeatable)', collect)
    .option('--security-group <name>', 'security group (repeatable)', collect)
    .option('--key-name <name>', 'key pair name')
    .option('--user-data <file>', 'file whose text is the user data (cloud-init)')
    .option('--admin-username <name>', 'admin user name, where the cloud needs one (Azure)')
    .option('--ssh-public-key <file>', 'file holding an SSH public key (Azure)')
    .option('--metadata <key=value>', 'metadata or tag (repeatable)', collect)
    .option(
      '--idempotency-key <key>',
      'makes the create safe to repeat, from any process: a second create with the key returns the first server',
    );
  addWaitOptions(create).action((platform: string, name: string, flags: CreateFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const request: CreateServerRequest = {
        name,
        image: flags.image,
        flavor: flags.flavor,
        ...(flags.availabilityZone === undefined ? {} : { availabilityZone: flags.availabilityZone }),
        ...(flags.region === undefined ? {} : { region: flags.region }),
        ...(flags.network === undefined ? {} : { networks: flags.network }),
        ...(flags.securityGroup === undefined ? {} : { securityGroups: flags.securityGroup }),
        ...(flags.keyName === undefined ? {} : { keyName: flags.keyName }),
        ...(flags.userData === undefined
          ? {}
          : { userData: await readText(io, flags.userData, 'user-data') }),
        ...(flags.adminUsername === undefined ? {} : { adminUsername: flags.adminUsername }),
        ...(flags.sshPublicKey === undefined
          ? {}
          : { sshPublicKey: (await readText(io, flags.sshPublicKey, 'ssh-public-key')).trim() }),
        ...(flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') }),
      };
      const options = callOptions(flags, signal);
      const created = await broker.platform(platform).createServer(request, options);
      // The user gave names; the cloud answers with ids: show both.
      return renderServer(created, { image: flags.image, flavor: flags.flavor });
    }),
  );
}

async function readText(io: CliIo, file: string, flag: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new BrokerError('invalid-request', `--${flag}: cannot read ${file}: ${(error as Error).message}`, {
      field: flag,
      cause: error,
    });
  }
}
