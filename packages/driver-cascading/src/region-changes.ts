import type { ChangeList, Server, Volume } from '@hybrid-broker/core';
import type { ServiceName } from '@hybrid-broker/driver-openstack';
import type { OpenStackDriver } from '@hybrid-broker/driver-openstack/layers';
import type { RegionDirectory } from './region-directory.js';
import { formatRegionId } from './region-id.js';
import { regionsFor } from './region-lists.js';
import { inRegion, inRegionCall } from './region-results.js';

type RegionAsk<T> = (
  driver: OpenStackDriver,
  since: string | undefined,
  signal?: AbortSignal,
) => Promise<ChangeList<T>>;

/** Each region's own `next`, by region name: the token of a cascading changes list. */
function tokensOf(next: string | undefined): Record<string, string> {
  if (next === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(next);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/**
 * A changes list across regions, each region asked from its own `next` (per region, as its
 * lists are). When some regions answer in full (a new region, a Cinder without 3.60) and
 * others with changes, the others are asked again in full: one answer is either the whole set
 * or changes only, and a full one is always right. The next token holds every region's.
 */
async function changesAcross<T extends Server | Volume>(
  directory: RegionDirectory,
  service: ServiceName,
  since: string | undefined,
  signal: AbortSignal | undefined,
  ask: RegionAsk<T>,
  rekey: (region: string, item: T) => T,
): Promise<ChangeList<T>> {
  const tokens = tokensOf(since);
  const handles = await regionsFor(directory, undefined, service, signal);
  const once = (name: string, driver: OpenStackDriver, from: string | undefined) =>
    inRegionCall(name, () => ask(driver, from, signal));
  let answers = await Promise.all(handles.map((h) => once(h.info.name, h.driver, tokens[h.info.name])));
  const complete = answers.some((a) => a.complete);
  if (complete && answers.some((a) => !a.complete)) {
    answers = await Promise.all(
      handles.map((h, i) => {
        const answer = answers[i];
        return answer?.complete ? answer : once(h.info.name, h.driver, undefined);
      }),
    );
  }
  const next: Record<string, string> = {};
  handles.forEach((h, i) => {
    const n = answers[i]?.next;
    if (n !== undefined) next[h.info.name] = n;
  });
  return {
    complete,
    items: handles.flatMap((h, i) => (answers[i]?.items ?? []).map((item) => rekey(h.info.name, item))),
    deleted: handles.flatMap((h, i) =>
      (answers[i]?.deleted ?? []).map((id) => formatRegionId(h.info.name, id)),
    ),
    next: Object.keys(next).length === 0 ? undefined : JSON.stringify(next),
  };
}

/** The servers changed in every region since `since` (a cascading `next`), or all of them. */
export function serverChangesAcross(
  directory: RegionDirectory,
  since: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ChangeList<Server>> {
  return changesAcross(
    directory,
    'compute',
    since,
    signal,
    (d, s, sig) => d.listServerChanges(s, { signal: sig }),
    inRegion.server,
  );
}

/** The volumes changed in every region since `since`, or all of them. */
export function volumeChangesAcross(
  directory: RegionDirectory,
  since: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ChangeList<Volume>> {
  return changesAcross(
    directory,
    'volume',
    since,
    signal,
    (d, s, sig) => d.listVolumeChanges(s, { signal: sig }),
    inRegion.volume,
  );
}
