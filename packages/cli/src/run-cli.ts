import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { formatError } from './error-report.js';
import { exitCodeFor, USAGE_EXIT_CODE } from './exit-codes.js';
import { buildProgram } from './program.js';
import { REPORTED_FAILURE } from './run-command.js';

const SUCCESSFUL_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs `hybrid-broker` with `argv` (the arguments after the program name)
 * and returns the exit code: 0, the code of the BrokerError (see
 * EXIT_CODES), or 2 for bad usage. Never calls process.exit.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === REPORTED_FAILURE) return error.exitCode;
      // Commander already printed its message (unknown option, missing argument...).
      return SUCCESSFUL_EXITS.has(error.code) ? 0 : USAGE_EXIT_CODE;
    }
    // Only reachable for failures outside a command body; still one line, still an exit code.
    io.stderr.write(formatError(error, { verbose: false, json: false, clean: (t) => t }));
    return exitCodeFor(error);
  }
}
