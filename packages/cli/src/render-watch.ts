import type { WatchEvent } from '@hybrid-broker/core';

/** One watch event as `hybrid-broker watch` prints it: the JSON value and the text line. */
export interface WatchLine {
  readonly value: unknown;
  readonly text: string;
}

/**
 * The line of one event. Text: `added volume <id> (available)`, `modified volume <id>
 * attachments,status (in-use)`, `deleted server <id> deleted`, `synced`, and
 * `error <code>: <message> (retry in <ms> ms)`, `source notifications` or `source poll: <reason>`
 * (the push source came up or fell back to polling). JSON: the event itself, its error as the
 * broker's error JSON (code, message, fields), so a script reads `type` first.
 */
export function renderWatchEvent(event: WatchEvent): WatchLine {
  if (event.type === 'synced') return { value: event, text: 'synced' };
  if (event.type === 'error') {
    const { error, retryInMs } = event;
    return {
      value: { type: 'error', error: error.toJSON(), retryInMs },
      text: `error ${error.code}: ${error.message} (retry in ${retryInMs} ms)`,
    };
  }
  if (event.type === 'source') {
    const reason = event.reason === undefined ? '' : `: ${event.reason}`;
    return { value: event, text: `source ${event.source}${reason}` };
  }
  const changes = event.changes.length === 0 ? '' : ` ${event.changes.join(',')}`;
  return {
    value: event,
    text: `${event.type} ${event.kind} ${event.id}${changes} (${event.resource.status})`,
  };
}
