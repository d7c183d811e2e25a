/** One real state change of a resource: what it became and when (ms of the sim's clock). */
export interface StateChange {
  /** The resource's id (volume, server, instance, disk). */
  readonly resource: string;
  /** The state it reached, in the cloud's own words (`in-use`, `available`, `ACTIVE`, `attached`...). */
  readonly state: string;
  /** When the change really happened (or, for a cloud computed from the clock, will happen). */
  readonly at: number;
  /** When the transition began (the request that started it), where the sim knows it. */
  readonly since?: number;
}

/** Keeps at most this many changes: a long-lived sim must not grow without bound. */
const MAX_CHANGES = 100_000;

/**
 * The time each resource's state really changed, recorded by the sim itself, so a benchmark
 * can tell how long a client took to notice (its return time minus the recorded time).
 */
export class ChangeLog {
  #changes: StateChange[] = [];

  /** Records one change; the oldest are dropped past `MAX_CHANGES`. */
  record(resource: string, state: string, at: number, since?: number): void {
    this.#changes.push(since === undefined ? { resource, state, at } : { resource, state, at, since });
    if (this.#changes.length > MAX_CHANGES) this.#changes = this.#changes.slice(-MAX_CHANGES / 2);
  }

  /** Every change recorded, oldest first (optionally only those of one resource). */
  list(resource?: string): readonly StateChange[] {
    return resource === undefined ? [...this.#changes] : this.#changes.filter((c) => c.resource === resource);
  }

  /** The latest change of `resource` to `state`, if any. */
  latest(resource: string, state: string): StateChange | undefined {
    for (let i = this.#changes.length - 1; i >= 0; i--) {
      const change = this.#changes[i];
      if (change && change.resource === resource && change.state === state) return change;
    }
    return undefined;
  }

  /** The time of the latest change of `resource` to `state`, if any. */
  last(resource: string, state: string): number | undefined {
    return this.latest(resource, state)?.at;
  }

  /** Forgets every change. */
  clear(): void {
    this.#changes = [];
  }
}
