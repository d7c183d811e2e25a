import type { ChangeList } from './change-list.js';
import type { WatchResource } from './resource-diff.js';

/**
 * The whole set of one kind as the watches of a platform last learnt it: a full list, then
 * the changes lists applied to it in turn. Held once per kind and platform (as the last full
 * list was before changes lists), so every watch still diffs a whole set, whatever its
 * grid, its start or its backoff: a watch that missed a tick misses no change.
 */
export class ListMirror {
  readonly #items = new Map<string, WatchResource>();
  /** Where the next changes list starts; undefined until a list gave one. */
  #next: string | undefined;
  /** Clock time the last full list was sent; -Infinity before the first. */
  #fullAt = Number.NEGATIVE_INFINITY;
  /** Bumped by every applied list, so a changes list that raced another is not applied over it. */
  #version = 0;
  /** Clock time the last applied list was sent. */
  #appliedSentAt = Number.NEGATIVE_INFINITY;
  #list: readonly WatchResource[] = [];

  get version(): number {
    return this.#version;
  }

  /** The `since` of a changes list now, or undefined when the next list must be full. */
  since(now: number, resyncMs: number): string | undefined {
    return now - this.#fullAt >= resyncMs ? undefined : this.#next;
  }

  /** The set as a list. */
  get list(): readonly WatchResource[] {
    return this.#list;
  }

  /**
   * Applies an answer sent at `sentAt` when the mirror was at `base`. A complete answer
   * replaces the set unless a later-sent list was applied already; a changes list applies only
   * over the state it was asked from (else a later list already holds its changes, or newer).
   */
  apply(answer: ChangeList<WatchResource>, sentAt: number, base: number): void {
    if (answer.complete ? sentAt <= this.#appliedSentAt : base !== this.#version) return;
    if (answer.complete) {
      this.#items.clear();
      this.#fullAt = sentAt;
    }
    for (const resource of answer.items) {
      // Nova lists a deleted server a while as DELETED: it is gone, and kept no longer.
      if (resource.status === 'deleted') this.#items.delete(resource.id);
      else this.#items.set(resource.id, resource);
    }
    for (const id of answer.deleted) this.#items.delete(id);
    this.#next = answer.next;
    this.#version++;
    this.#appliedSentAt = sentAt;
    this.#list = [...this.#items.values()];
  }
}
