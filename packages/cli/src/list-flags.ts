import {
  BrokerError,
  type ListOptions,
  type ReadOptions,
  type ServerFilter,
  VOLUME_STATUSES,
  type VolumeFilter,
  type VolumeStatus,
} from '@hybrid-broker/core';
import { parsePairs } from './call-flags.js';

/** The filter flags `server list` and `volume list` share. */
export interface ListFlags {
  readonly name?: string;
  readonly metadata?: string[];
  readonly region?: string;
  /** `--limit <n>`: at most this many results. */
  readonly limit?: string;
}

/** `server list` flags. */
export interface ServerListFlags extends ListFlags {
  readonly idempotencyKey?: string;
}

/** `volume list` flags. */
export interface VolumeListFlags extends ListFlags {
  readonly server?: string;
  readonly status?: string;
}

function common(flags: ListFlags) {
  return {
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(flags.metadata === undefined ? {} : { metadata: parsePairs(flags.metadata, 'metadata') }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
  };
}

/** The server filter the flags ask for. */
export function serverFilter(flags: ServerListFlags): ServerFilter {
  return {
    ...common(flags),
    ...(flags.idempotencyKey === undefined ? {} : { idempotencyKey: flags.idempotencyKey }),
  };
}

/** The volume filter the flags ask for; a `--status` that is no normalized status names the flag. */
export function volumeFilter(flags: VolumeListFlags): VolumeFilter {
  const status = flags.status;
  if (status !== undefined && !(VOLUME_STATUSES as readonly string[]).includes(status)) {
    throw new BrokerError(
      'invalid-request',
      `--status: expected one of ${VOLUME_STATUSES.join(', ')}, got "${status}"`,
      { field: 'status' },
    );
  }
  return {
    ...common(flags),
    ...(flags.server === undefined ? {} : { serverId: flags.server }),
    ...(status === undefined ? {} : { status: status as VolumeStatus }),
  };
}

/** The read options with `--limit`: a positive whole number, or the error names the flag. */
export function listOptions(flags: ListFlags, read: ReadOptions): ListOptions {
  const text = flags.limit;
  if (text === undefined) return read;
  const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new BrokerError('invalid-request', `--limit: expected a positive whole number, got "${text}"`, {
      field: 'limit',
    });
  }
  return { ...read, limit };
}
