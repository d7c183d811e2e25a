import { serverMatches, volumeMatches } from '../list-filters.js';
import type { Server, Volume } from '../types.js';
import type { WatchResource } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';
import type { ValidSelector } from './watch-validate.js';

function selected(kind: WatchKind, selector: ValidSelector, resource: WatchResource): boolean {
  const part = selector[kind];
  if (!part) return false;
  if ('ids' in part) return part.ids.has(resource.id);
  if (kind === 'volume') return volumeMatches(resource as Volume, part.filter);
  return serverMatches(resource as Server, part.filter);
}

/**
 * The resources of a full list this watch follows, by id. A server the cloud shows as
 * `deleted` (Nova keeps them listed a while) counts as gone, so it ends as a `deleted` event.
 */
export function selectFrom(
  kind: WatchKind,
  selector: ValidSelector,
  list: readonly WatchResource[],
): Map<string, WatchResource> {
  const picked = new Map<string, WatchResource>();
  for (const resource of list) {
    if (resource.status === 'deleted') continue;
    if (selected(kind, selector, resource)) picked.set(resource.id, resource);
  }
  return picked;
}
