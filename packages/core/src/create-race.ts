/*
 * Two replicas may create with one idempotency key at the same instant: both
 * look for the key's resource, find none, and both send the create. A cloud
 * with a client token (EC2's ClientToken) or one that creates by name (ARM's
 * PUT with If-None-Match) makes only one. A cloud without either (Nova) makes
 * two, so each create lists by its key once the cloud has accepted it, and
 * every racer keeps the same one by the rule below; a loser deletes its own.
 */

/** What the race rule reads of a resource made for an idempotency key. */
export interface RaceCandidate {
  readonly id: string;
  /** When the cloud created it (ISO 8601), if the cloud says. */
  readonly created?: string | undefined;
}

/** Milliseconds since the epoch, or Infinity when the cloud gave no readable time (sorts last). */
function createdAt(candidate: RaceCandidate): number {
  const ms = candidate.created === undefined ? Number.NaN : Date.parse(candidate.created);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * The resource every racer keeps of several made for one idempotency key:
 * the oldest `created`, then the lowest id (plain string order, so every
 * broker agrees whatever its locale). Undefined for no candidates.
 *
 * Every racer that lists after its own create was accepted sees every create
 * accepted before its own, so it picks the same winner as the others, as long
 * as the oldest was listed by all. One window stays: a create listed alone
 * keeps its resource, and a create accepted later in the same `created` tick
 * (Nova gives whole seconds) with a lower id would keep its own too. That
 * takes a racer whose look-up before its create missed the first create, yet
 * whose create came after the first racer's whole create and list.
 */
export function raceWinner<T extends RaceCandidate>(candidates: readonly T[]): T | undefined {
  let winner: T | undefined;
  for (const c of candidates) {
    if (winner === undefined) {
      winner = c;
      continue;
    }
    const a = createdAt(c);
    const b = createdAt(winner);
    if (a < b || (a === b && c.id < winner.id)) winner = c;
  }
  return winner;
}

/** How {@link settleCreateRace} reads and removes the key's resources. */
export interface CreateRaceSteps<T extends RaceCandidate> {
  /** The key's live resources, listed after the create was accepted (deleting ones left out). */
  readonly listByKey: () => Promise<readonly T[]>;
  /** Reads one resource, for when the list does not show the racer's own yet. */
  readonly read: (id: string) => Promise<T>;
  /** Deletes the loser's own resource; sent at least, as the cloud finishes it on its own. */
  readonly remove: (id: string) => Promise<void>;
}

/**
 * Settles a create race once the cloud has accepted `mine`: lists the key's
 * resources and returns the {@link raceWinner}. A loser deletes its own
 * resource first, so exactly one remains, and returns the winner, so every
 * racer's caller gets the same one.
 */
export async function settleCreateRace<T extends RaceCandidate>(
  mine: string,
  steps: CreateRaceSteps<T>,
): Promise<T> {
  const listed = await steps.listByKey();
  // a list may lag the create that was just accepted: the racer's own always counts
  const candidates = listed.some((c) => c.id === mine) ? listed : [...listed, await steps.read(mine)];
  const winner = raceWinner(candidates) as T;
  if (winner.id !== mine) await steps.remove(mine);
  return winner;
}
