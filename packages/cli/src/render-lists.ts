import type { MoveVolumeResult, Server, Volume } from '@hybrid-broker/core';
import type { CommandResult } from './render.js';

/** Rows as aligned columns under a header; an empty list says so in words. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], none: string): string {
  if (rows.length === 0) return none;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `server list`: one line a server; `--json` prints the servers as the driver returned them. */
export function renderServerList(servers: readonly Server[]): CommandResult {
  const rows = servers.map((s) => [s.id, s.name, s.status, s.availabilityZone ?? '-', s.region ?? '-']);
  return { value: servers, text: table(['ID', 'NAME', 'STATUS', 'ZONE', 'REGION'], rows, '(no servers)') };
}

/** `volume list`: one line a volume, with the servers it is attached to. */
export function renderVolumeList(volumes: readonly Volume[]): CommandResult {
  const rows = volumes.map((v) => [
    v.id,
    v.name ?? '-',
    v.status,
    `${v.sizeGiB} GiB`,
    v.availabilityZone ?? '-',
    v.attachments.map((a) => a.serverId).join(', ') || '-',
  ]);
  return {
    value: volumes,
    text: table(['ID', 'NAME', 'STATUS', 'SIZE', 'ZONE', 'ATTACHED TO'], rows, '(no volumes)'),
  };
}

/** What `volume move` did, step by step. */
export function renderMove(result: MoveVolumeResult, fromServerId: string): CommandResult {
  const a = result.attachment;
  const detached = result.detached
    ? `detached from server ${fromServerId}`
    : `was not attached to server ${fromServerId}`;
  const attached = result.attached ? `attached to server ${a.serverId}` : `already on server ${a.serverId}`;
  const text = `volume ${a.volumeId} ${detached}; ${attached} as ${a.device ?? '(device not reported yet)'}`;
  return { value: result, text };
}
