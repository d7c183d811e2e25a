import type {
  DeleteServerResult,
  DetachVolumeResult,
  PlatformSummary,
  RegionInfo,
  Server,
  Volume,
  VolumeAttachment,
} from '@hybrid-broker/core';

/** Human output of a command, beside the value `--json` prints. */
export interface CommandResult {
  readonly value: unknown;
  readonly text: string;
}

/** Aligned `key  value` lines; undefined values are left out. */
function fields(rows: readonly (readonly [string, string | undefined])[]): string {
  const present = rows.filter((row): row is readonly [string, string] => row[1] !== undefined);
  const width = Math.max(...present.map(([key]) => key.length));
  return present.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

function status(normalized: string, provider: string): string {
  return normalized.toLowerCase() === provider.toLowerCase() ? normalized : `${normalized} (${provider})`;
}

/** The image and flavor a `server create` was given, to show beside the ids the cloud answers with. */
export interface GivenNames {
  readonly image?: string;
  readonly flavor?: string;
}

/** `name (id)` when the name given differs from the id the cloud reports; else the one of them known. */
function named(given: string | undefined, reported: string | undefined): string | undefined {
  if (given === undefined || reported === undefined || given === reported) return reported ?? given;
  return `${given} (${reported})`;
}

/** A server as `server get` and `server create` (with the names it was given) show it. */
export function renderServer(server: Server, given: GivenNames = {}): CommandResult {
  const metadata = Object.entries(server.metadata).map(([k, v]) => `${k}=${v}`);
  const text = fields([
    ['id', server.id],
    ['name', server.name],
    ['status', status(server.status, server.providerStatus)],
    ['power', server.powerState && status(server.powerState, server.providerPowerState ?? server.powerState)],
    ['fault', server.fault],
    ['zone', server.availabilityZone],
    ['region', server.region],
    ['image', named(given.image, server.image)],
    ['flavor', named(given.flavor, server.flavor)],
    ['addresses', server.addresses.map((a) => `${a.address} (${a.network})`).join(', ') || undefined],
    ['metadata', metadata.length > 0 ? metadata.join(', ') : undefined],
    ['created', server.createdAt],
  ]);
  return { value: server, text };
}

/** A volume as `volume get` shows it, attachments included. */
export function renderVolume(volume: Volume): CommandResult {
  const attachments = volume.attachments.map(
    (a) => `${a.serverId} ${a.device ?? '(device unknown)'} ${a.state}${a.readOnly ? ' read-only' : ''}`,
  );
  const text = fields([
    ['id', volume.id],
    ['name', volume.name],
    ['status', status(volume.status, volume.providerStatus)],
    ['size', `${volume.sizeGiB} GiB`],
    ['zone', volume.availabilityZone],
    ['region', volume.region],
    ['multi-attach', volume.multiAttach ? 'yes' : undefined],
    ['attached to', attachments.length > 0 ? attachments.join('; ') : 'nothing'],
  ]);
  return { value: volume, text };
}

/** The attachment `volume attach` made. */
export function renderAttachment(attachment: VolumeAttachment): CommandResult {
  const text = fields([
    ['volume', attachment.volumeId],
    ['server', attachment.serverId],
    ['device', attachment.device ?? '(not reported yet)'],
    ['state', attachment.state],
    ['read-only', attachment.readOnly ? 'yes' : undefined],
    ['guest paths', attachment.guestPaths?.length ? attachment.guestPaths.join(', ') : undefined],
    [
      'already',
      attachment.alreadyAttached ? 'yes: it was attached (or attaching) there; nothing was sent' : undefined,
    ],
  ]);
  return { value: attachment, text };
}

/** What `volume detach` did. */
export function renderDetach(result: DetachVolumeResult, serverId: string, forced = false): CommandResult {
  const how = forced ? 'force-detached' : 'detached';
  const text = result.detached
    ? `volume ${result.volume.id} ${how} from server ${serverId}; it is ${result.volume.status}`
    : `volume ${result.volume.id} was not attached to server ${serverId}; nothing to do`;
  return { value: result, text };
}

/** What `server delete` did. */
export function renderDelete(result: DeleteServerResult): CommandResult {
  const text = result.deleted
    ? `server ${result.serverId} deleted`
    : `server ${result.serverId} was already gone; nothing to do`;
  return { value: result, text };
}

/** The configured platforms. */
export function renderPlatforms(platforms: readonly PlatformSummary[]): CommandResult {
  const width = Math.max(...platforms.map((p) => p.name.length));
  return { value: platforms, text: platforms.map((p) => `${p.name.padEnd(width)}  ${p.driver}`).join('\n') };
}

/** A multi-region platform's regions and their services. */
export function renderRegions(regions: readonly RegionInfo[]): CommandResult {
  const width = Math.max(0, ...regions.map((r) => r.name.length));
  const text = regions
    .map((r) => {
      const missing = r.missing.length > 0 ? `  (missing: ${r.missing.join(', ')})` : '';
      return `${r.name.padEnd(width)}  ${r.services.join(', ')}${missing}`;
    })
    .join('\n');
  return { value: regions, text: text || '(no regions)' };
}
