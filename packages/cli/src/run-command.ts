import type { Broker } from '@hybrid-broker/core';
import { type Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { formatError } from './error-report.js';
import { exitCodeFor } from './exit-codes.js';
import { StderrEventView } from './progress.js';
import type { CommandResult } from './render.js';
import { SecretScrubber } from './secrets.js';
import { type GlobalOptions, openBroker } from './session.js';

/** The commander error code of a failure already reported on stderr; its exitCode is the process's. */
export const REPORTED_FAILURE = 'hybrid-broker.reported';

/** What a command body gets. */
export interface CommandContext {
  readonly broker: Broker;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal | undefined;
  /** Prints one line at once, scrubbed: `value` as compact JSON with --json, else `text` (streaming commands). */
  readonly line: (value: unknown, text: string) => void;
}

/**
 * Runs one command: opens the broker from the config, runs `body`, prints its
 * result (JSON or text) on stdout, and on failure prints the error on stderr
 * and throws a CommanderError carrying the exit code. Everything printed
 * passes through the secret scrubber; the progress view is erased first.
 */
export async function runCommand(
  io: CliIo,
  command: Command,
  body: (context: CommandContext) => Promise<CommandResult | undefined>,
): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const scrubber = new SecretScrubber();
  const clean = (text: string): string => scrubber.text(text);
  const view = new StderrEventView(io.stderr, {
    progress: io.stderr.isTTY === true && options.json !== true,
    requests: options.verbose === true,
    clean,
  });
  let broker: Broker | undefined;
  try {
    broker = await openBroker(options, io, scrubber, view);
    const line = (value: unknown, text: string) =>
      io.stdout.write(`${options.json ? JSON.stringify(scrubber.value(value)) : clean(text)}\n`);
    const result = await body({ broker, signal: io.signal, line });
    view.stop();
    // A streaming command printed its lines already and returns nothing more.
    if (result === undefined) return;
    const text = options.json ? JSON.stringify(scrubber.value(result.value), null, 2) : clean(result.text);
    io.stdout.write(`${text}\n`);
  } catch (error) {
    view.stop();
    io.stderr.write(
      formatError(error, { verbose: options.verbose === true, json: options.json === true, clean }),
    );
    throw new CommanderError(exitCodeFor(error), REPORTED_FAILURE, 'reported');
  } finally {
    view.stop();
    await broker?.close().catch(() => {});
  }
}
