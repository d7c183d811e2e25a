import type { Clock, Server, Volume } from '../../src/index.js';
import type { ChangeList } from '../../src/watch/change-list.js';
import type { WatchResource } from '../../src/watch/resource-diff.js';
import { SharedLists } from '../../src/watch/shared-lists.js';
import type { WatchKind } from '../../src/watch/watch-types.js';

const OVERLAP_MS = 500;

/**
 * A cloud that lists changes like Nova: each resource records when it last changed, and a
 * deleted one stays listed as `deleted` to changes lists (unless deleted `quietly`, as a
 * Cinder volume is: then only a full list shows it gone). `since` is the cloud's clock less
 * an overlap; its clock may be skewed from the watch's.
 */
export function fakeChangesCloud(clock: Clock, skewMs = 0) {
  const cloudNow = () => clock.now() + skewMs;
  const state = {
    volume: new Map<string, { resource: WatchResource; at: number; gone?: 'loud' | 'quiet' }>(),
    server: new Map<string, { resource: WatchResource; at: number; gone?: 'loud' | 'quiet' }>(),
  };
  const calls = { full: 0, changes: 0, sinces: [] as number[] };
  let failure: unknown;
  const changes = async (kind: WatchKind, since: string | undefined): Promise<ChangeList<WatchResource>> => {
    if (failure) throw failure;
    const next = String(cloudNow() - OVERLAP_MS);
    const rows = [...state[kind].values()];
    if (since === undefined) {
      calls.full++;
      return { complete: true, items: rows.filter((r) => !r.gone).map((r) => r.resource), deleted: [], next };
    }
    calls.changes++;
    calls.sinces.push(Number(since));
    const recent = rows.filter((r) => r.at >= Number(since));
    return {
      complete: false,
      items: recent.filter((r) => !r.gone).map((r) => r.resource),
      deleted: recent.filter((r) => r.gone === 'loud').map((r) => r.resource.id),
      next,
    };
  };
  const lists = new SharedLists(
    async (kind) => (await changes(kind, undefined)).items,
    clock,
    (kind, since) => changes(kind, since),
  );
  const kindOf = (r: Volume | Server): WatchKind => ('attachments' in r ? 'volume' : 'server');
  return {
    lists,
    calls,
    /** Fails every list until called with undefined. */
    fail(error: unknown) {
      failure = error;
    },
    put(resource: Volume | Server) {
      state[kindOf(resource)].set(resource.id, { resource, at: cloudNow() });
    },
    /** A change the cloud does not stamp (so only a full list shows it). */
    putUnstamped(resource: Volume | Server) {
      const row = state[kindOf(resource)].get(resource.id);
      state[kindOf(resource)].set(resource.id, { resource, at: row?.at ?? 0 });
    },
    remove(kind: WatchKind, id: string, how: 'loud' | 'quiet') {
      const row = state[kind].get(id);
      if (row) state[kind].set(id, { ...row, at: cloudNow(), gone: how });
    },
  };
}
