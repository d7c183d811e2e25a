import { readFileSync } from 'node:fs';
import { BrokerError } from '@hybrid-broker/core';
import { Command } from 'commander';
import { collect } from './call-flags.js';
import { flavorCommand, imageCommand } from './catalog-commands.js';
import type { CliIo } from './cli-io.js';
import { exitCodesHelp } from './exit-codes.js';
import { renderPlatforms, renderRegions } from './render.js';
import { runCommand } from './run-command.js';
import { serverCommand } from './server-commands.js';
import { DEFAULT_CONFIG_FILE } from './session.js';
import { snapshotCommand } from './snapshot-commands.js';
import { volumeCommand } from './volume-commands.js';
import { watchCommand } from './watch-command.js';

/** Help is wrapped at a fixed width, so the README's copy of it is the same on every terminal. */
export const HELP_WIDTH = 100;

const GLOBAL_OPTIONS_HINT =
  'Global options (--config, --json, --verbose, --driver, --memory-state): see hybrid-broker --help';

const ENVIRONMENT_HELP = [
  'Environment:',
  '  HYBRID_BROKER_CONFIG        config file when --config is not given',
  '  HYBRID_BROKER_MEMORY_STATE  state file of memory platforms when --memory-state is not given',
  '  ${NAME} in the config       replaced by the environment variable NAME (keep secrets out of files)',
].join('\n');

/**
 * The `hybrid-broker` command tree. Output goes to `io`, nothing calls
 * process.exit: commander errors are thrown (exitOverride), so `runCli`
 * (and tests) decide the exit code.
 *
 * @example
 * await buildProgram(io).parseAsync(['server', 'get', 'lab', 'srv-1', '--json'], { from: 'user' });
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('hybrid-broker')
    .description('Create servers and attach or detach volumes on any configured cloud.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-c, --config <path>', `broker config file, YAML or JSON (default: ${DEFAULT_CONFIG_FILE})`)
    .option('--json', 'print results (and errors, on stderr) as JSON for scripts')
    .option('-v, --verbose', 'print each cloud request, and the cause chain of an error')
    .option('--driver <module>', 'also load the driver definitions a module exports (repeatable)', collect)
    .option('--memory-state <file>', 'keep memory platforms in this JSON file across commands')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}\n\n${exitCodesHelp()}`);

  program
    .command('platforms')
    .description('list the configured platforms and their drivers')
    .action((_flags: object, command: Command) =>
      runCommand(io, command, async ({ broker }) => renderPlatforms(broker.platforms())),
    );

  program
    .command('regions')
    .description('list the regions of a multi-region platform (cascading) and their services')
    .argument('<platform>', 'platform name from the config')
    .action((platform: string, _flags: object, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const driver = broker.platform(platform);
        if (!driver.listRegions) {
          throw new BrokerError('invalid-request', `platform ${platform} does not span regions`, {
            field: 'platform',
          });
        }
        return renderRegions(await driver.listRegions({ signal }));
      }),
    );

  program.addCommand(serverCommand(io));
  program.addCommand(volumeCommand(io));
  program.addCommand(snapshotCommand(io));
  program.addCommand(imageCommand(io));
  program.addCommand(flavorCommand(io));
  program.addCommand(watchCommand(io));
  configure(program, io);
  return program;
}

/** Same output, help width and error handling on every command of the tree. */
function configure(command: Command, io: CliIo): void {
  command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ helpWidth: HELP_WIDTH })
    .showHelpAfterError('(add --help for usage)');
  for (const option of command.options) {
    // commander's help does not tell a required option from an optional one.
    if (option.mandatory && !option.description.endsWith('(required)')) option.description += ' (required)';
  }
  for (const sub of command.commands) {
    // Only the root lists the global options; every other help points there, so each stays short.
    sub.addHelpText('after', `\n${GLOBAL_OPTIONS_HINT}`);
    configure(sub, io);
  }
}

function packageVersion(): string {
  // src/ and dist/ are both one level below package.json.
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
