import type { Command } from 'commander';

/** Adds `--no-wait` and `--timeout <ms>` to a mutating command. */
export function addWaitOptions(command: Command): Command {
  return command
    .option('--no-wait', 'return once the cloud accepted the request, without waiting for the change')
    .option('--timeout <ms>', 'give up waiting after this many milliseconds (exit 6)');
}

/** Adds `--timeout <ms>` to a read command (`get`, `list`): its deadline, every page and retry included. */
export function addReadTimeout(command: Command): Command {
  return command.option('--timeout <ms>', 'give up the read after this many milliseconds (exit 6)');
}
