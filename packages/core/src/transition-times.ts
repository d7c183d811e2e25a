/** How many recent waits of one operation the estimate is taken from. */
const WINDOW = 25;

/**
 * What one platform has learned of how long its transitions take: per
 * operation ("attach", "detach", "build"...), the median of the last 25
 * completed waits. A median, not a mean: one stuck attach must not push
 * every later first poll out. Fed by waitFor through WaitPacing.record.
 */
export class TransitionTimes {
  readonly #seen = new Map<string, number[]>();

  /** The expected duration of `operation` in ms; undefined until a wait of it has completed. */
  expectedMs(operation: string): number | undefined {
    const durations = this.#seen.get(operation);
    if (!durations || durations.length === 0) return undefined;
    const sorted = [...durations].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  }

  /** Adds one observed duration of `operation`. */
  record(operation: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let durations = this.#seen.get(operation);
    if (!durations) {
      durations = [];
      this.#seen.set(operation, durations);
    }
    durations.push(ms);
    if (durations.length > WINDOW) durations.shift();
  }
}
