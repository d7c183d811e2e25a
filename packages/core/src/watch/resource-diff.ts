import type { WatchChange, WatchKind, WatchResources } from './watch-types.js';

/** Any watched resource. */
export type WatchResource = WatchResources[WatchKind];

/** JSON with object keys sorted, so two equal resources give one string whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The attachments in a fixed order, so a reordered list is no change. */
function attachmentsPart(resource: WatchResource): string {
  if (!('attachments' in resource)) return '';
  const parts = resource.attachments.map((a) =>
    stableJson({ serverId: a.serverId, state: a.state, device: a.device, readOnly: a.readOnly }),
  );
  return parts.sort().join(';');
}

// A server's power; a volume has none (and a third-party driver's server may have none).
function powerPart(resource: WatchResource): string {
  if (!('powerState' in resource || 'providerPowerState' in resource)) return '';
  return stableJson([resource.powerState ?? null, resource.providerPowerState ?? null]);
}

const PARTS: ReadonlyArray<readonly [WatchChange, (r: WatchResource) => string]> = [
  ['attachments', attachmentsPart],
  ['status', (r) => `${r.status}|${r.providerStatus}`],
  ['power', powerPart],
  ['metadata', (r) => stableJson(r.metadata ?? {})],
];

/** The named parts that differ between two states of one resource, in a fixed order. */
export function changedParts(previous: WatchResource, next: WatchResource): WatchChange[] {
  return PARTS.filter(([, part]) => part(previous) !== part(next)).map(([name]) => name);
}

/** A 32-bit FNV-1a hash, enough to tell two states apart in a digest (not a security hash). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The fingerprint of a resource's whole state: equal fingerprints mean no change to report. */
export function fingerprint(resource: WatchResource): number {
  return hash32(stableJson(resource));
}

/** One difference found between the known state and a new list. */
export interface ResourceDiff {
  readonly type: 'added' | 'modified' | 'deleted';
  readonly id: string;
  readonly resource: WatchResource;
  readonly previous?: WatchResource;
  readonly changes: readonly WatchChange[];
}

/** What the watch keeps of one resource: its last state and that state's fingerprint. */
export interface Known {
  readonly resource: WatchResource;
  readonly print: number;
}

/**
 * The differences from `known` to the full list `next`: new ids are `added`, changed ones
 * `modified`, ids no longer listed `deleted`. Unchanged resources give nothing.
 */
export function diffFull(
  known: ReadonlyMap<string, Known>,
  next: ReadonlyMap<string, WatchResource>,
): ResourceDiff[] {
  const diffs: ResourceDiff[] = [];
  for (const [id, resource] of next) {
    const diff = diffOne(known.get(id), id, resource);
    if (diff) diffs.push(diff);
  }
  for (const [id, old] of known) {
    if (!next.has(id))
      diffs.push({
        type: 'deleted',
        id,
        resource: old.resource,
        previous: old.resource,
        changes: ['deleted'],
      });
  }
  return diffs;
}

/** The difference of one listed resource from what was known of it, or nothing. */
export function diffOne(
  old: Known | undefined,
  id: string,
  resource: WatchResource,
): ResourceDiff | undefined {
  if (!old) return { type: 'added', id, resource, changes: [] };
  if (old.print === fingerprint(resource)) return undefined;
  return {
    type: 'modified',
    id,
    resource,
    previous: old.resource,
    changes: changedParts(old.resource, resource),
  };
}
