import { BrokerError, type ServerFilter, type VolumeFilter, type WatchSelector } from '@hybrid-broker/core';
import { Command } from 'commander';
import { collect, parsePairs } from './call-flags.js';
import type { CliIo } from './cli-io.js';
import { renderWatchEvent } from './render-watch.js';
import { runCommand } from './run-command.js';

interface WatchFlags {
  readonly volumes?: boolean;
  readonly servers?: boolean;
  readonly metadata?: string[];
  readonly pollMs?: string;
}

/** What the flags select: both kinds when neither `--volumes` nor `--servers` is given. */
function selectorOf(flags: WatchFlags): WatchSelector {
  const filter: VolumeFilter & ServerFilter =
    flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') };
  const both = flags.volumes !== true && flags.servers !== true;
  return {
    ...(both || flags.volumes === true ? { volumes: filter } : {}),
    ...(both || flags.servers === true ? { servers: filter } : {}),
  };
}

function pollMsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new BrokerError('invalid-request', `--poll-ms: expected a positive whole number, got "${text}"`, {
      field: 'pollMs',
    });
  }
  return ms;
}

/**
 * Aborted by Ctrl-C (the CLI's signal) or by SIGTERM while the watch runs: both end a watch
 * as a normal stop, so a service manager's stop is exit 0 too. The listener is the watch's
 * alone and goes with it; other commands keep the default SIGTERM.
 */
function stopSignal(ctrlC: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const term = new AbortController();
  const onTerm = () => term.abort();
  process.once('SIGTERM', onTerm);
  const signal = ctrlC === undefined ? term.signal : AbortSignal.any([ctrlC, term.signal]);
  return { signal, release: () => process.off('SIGTERM', onTerm) };
}

/** `hybrid-broker watch <platform>`: one line per event until Ctrl-C or SIGTERM, then exit 0. */
export function watchCommand(io: CliIo): Command {
  return new Command('watch')
    .description(
      'print one line per change to volumes and servers (first the current ones as added, then synced), ' +
        'until Ctrl-C or SIGTERM, then exit 0',
    )
    .argument('<platform>', 'platform name from the config')
    .option('--volumes', 'watch volumes (without --volumes or --servers: both)')
    .option('--servers', 'watch servers')
    .option(
      '--metadata <key=value>',
      'only those carrying this metadata or tag pair (repeatable: all must match)',
      collect,
    )
    .option('--poll-ms <ms>', 'time between lists of the cloud (default: 1000)')
    .action((platform: string, flags: WatchFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal, line }) => {
        const selector = selectorOf(flags);
        const pollMs = pollMsOf(flags.pollMs);
        const stop = stopSignal(signal);
        const watch = broker
          .platform(platform)
          .watch(selector, { signal: stop.signal, ...(pollMs === undefined ? {} : { pollMs }) });
        try {
          for await (const event of watch) {
            const { value, text } = renderWatchEvent(event);
            line(value, text);
          }
        } finally {
          watch.close();
          stop.release();
        }
        return undefined;
      }),
    );
}
