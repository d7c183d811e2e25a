import type {
  CreateSnapshotRequest,
  DeleteSnapshotResult,
  Snapshot,
  SnapshotFilter,
} from '@hybrid-broker/core';
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
import type { CommandResult } from './render.js';
import { table } from './render-lists.js';
import { runCommand } from './run-command.js';
import { addReadTimeout, addWaitOptions } from './wait-options.js';

interface CreateFlags extends WaitFlags {
  readonly metadata?: readonly string[];
  readonly force?: boolean;
}

interface ListFlags extends ReadFlags {
  readonly volume?: string;
  readonly metadata?: readonly string[];
}

/** `snapshot create|get|list|delete`. */
export function snapshotCommand(io: CliIo): Command {
  const snapshot = new Command('snapshot').description('create, read, list and delete volume snapshots');

  const create = snapshot
    .command('create')
    .description(
      'snapshot a volume and wait until the snapshot is available. Safe to repeat with --idempotency-key: ' +
        'the key returns the same snapshot from any process, and other parameters with it are a conflict',
    )
    .argument('<platform>', 'platform name from the config')
    .argument('<volume-id>', 'the volume to snapshot')
    .argument('<name>', 'snapshot name')
    .option('--metadata <key=value>', 'metadata or tag (repeatable)', collect)
    .option('--force', 'snapshot an attached (in-use) volume; the copy is crash-consistent')
    .option('--idempotency-key <key>', 'makes the create safe to repeat, from any process');
  addWaitOptions(create).action(
    (platform: string, volumeId: string, name: string, flags: CreateFlags, command: Command) =>
      runCommand(io, command, async ({ broker, signal }) => {
        const request: CreateSnapshotRequest = {
          volumeId,
          name,
          ...(flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') }),
          ...(flags.force === true ? { force: true } : {}),
        };
        return renderSnapshot(
          await broker.platform(platform).createSnapshot(request, callOptions(flags, signal)),
        );
      }),
  );

  const get = snapshot
    .command('get')
    .description('show a snapshot')
    .argument('<platform>', 'platform name from the config')
    .argument('<snapshot-id>', 'snapshot id');
  addReadTimeout(get).action((platform: string, snapshotId: string, flags: ReadFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderSnapshot(await broker.platform(platform).getSnapshot({ snapshotId }, readOptions(flags, signal))),
    ),
  );

  const list = snapshot
    .command('list')
    .description('list snapshots, of one volume or carrying given metadata')
    .argument('<platform>', 'platform name from the config')
    .option('--volume <volume-id>', 'only the snapshots of this volume')
    .option(
      '--metadata <key=value>',
      'only snapshots carrying this pair (repeatable: all must match)',
      collect,
    );
  addReadTimeout(list).action((platform: string, flags: ListFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) => {
      const filter: SnapshotFilter = {
        ...(flags.volume === undefined ? {} : { volumeId: flags.volume }),
        ...(flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') }),
      };
      return renderSnapshotList(
        await broker.platform(platform).listSnapshots(filter, readOptions(flags, signal)),
      );
    }),
  );

  const remove = snapshot
    .command('delete')
    .description('delete a snapshot and wait until it is gone. Safe to repeat: already gone is a no-op')
    .argument('<platform>', 'platform name from the config')
    .argument('<snapshot-id>', 'snapshot id');
  addWaitOptions(remove).action((platform: string, snapshotId: string, flags: WaitFlags, command: Command) =>
    runCommand(io, command, async ({ broker, signal }) =>
      renderDelete(
        await broker.platform(platform).deleteSnapshot({ snapshotId }, callOptions(flags, signal)),
      ),
    ),
  );
  return snapshot;
}

/** A snapshot's fields; `--json` prints it as the driver returned it. */
function renderSnapshot(s: Snapshot): CommandResult {
  const rows: [string, string | undefined][] = [
    ['id', s.id],
    ['name', s.name],
    ['volume', s.volumeId],
    ['status', s.status === s.providerStatus ? s.status : `${s.status} (${s.providerStatus})`],
    ['size', `${s.sizeGiB} GiB`],
    ['progress', s.progress === undefined ? undefined : `${s.progress}%`],
    ['created', s.createdAt],
  ];
  // aligned as render.ts aligns a volume's fields
  const present = rows.filter((r): r is [string, string] => r[1] !== undefined);
  const width = Math.max(...present.map(([key]) => key.length));
  const text = present.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
  return { value: s, text };
}

/** `snapshot list`: one line a snapshot. */
function renderSnapshotList(snapshots: readonly Snapshot[]): CommandResult {
  const rows = snapshots.map((s) => [s.id, s.name ?? '-', s.status, `${s.sizeGiB} GiB`, s.volumeId]);
  return {
    value: snapshots,
    text: table(['ID', 'NAME', 'STATUS', 'SIZE', 'VOLUME'], rows, '(no snapshots)'),
  };
}

/** What `snapshot delete` did. */
function renderDelete(result: DeleteSnapshotResult): CommandResult {
  const text = result.deleted
    ? `snapshot ${result.snapshotId} deleted`
    : `snapshot ${result.snapshotId} was already gone; nothing to do`;
  return { value: result, text };
}
