/**
 * Request counts per route key, e.g. `POST /v3/auth/tokens` or
 * `GET /compute/{region}/v2.1/{project}/servers/{id}`: ids are placeholders so one
 * operation's calls add up under one key whatever resource they touched.
 */
export class RouteCounters {
  readonly #counts = new Map<string, number>();

  /** Adds one call to `key`. */
  increment(key: string): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Count for one key (0 when never called). */
  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  /** A snapshot of every non-zero count, keys sorted. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.#counts.keys()].sort()) out[key] = this.#counts.get(key) ?? 0;
    return out;
  }

  /** Sum over all keys. */
  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  /** Forgets every count. */
  reset(): void {
    this.#counts.clear();
  }
}
