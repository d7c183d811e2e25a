import type { Command } from 'commander';

/** Adds `--no-wait` and `--timeout <ms>` to a mutating command. */
export function addWaitOptions(command: Command): Command {
  return command
    .option('--no-wait', 'return once the cloud accepted the request, without waiting for the change')
    .option('--timeout <ms>', 'give up waiting after this many milliseconds (exit 6)');
}
