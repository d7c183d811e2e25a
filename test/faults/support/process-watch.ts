/** Collects unhandled rejections while a suite runs; call the returned function to read them. */
export function watchUnhandledRejections(): () => unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  return () => {
    process.off('unhandledRejection', listener);
    return seen;
  };
}

/** Active timers of this process (Node lists each ref'ed Timeout). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/**
 * Waits until at most `baseline` timers are active, or `boundMs` passed, and
 * returns the count: a timer a driver forgot (a 60 s request timeout, a
 * poller) outlives the bound, while an emulator's already-fired sleep does not.
 */
export async function settleTimers(baseline: number, boundMs: number): Promise<number> {
  const until = Date.now() + boundMs;
  let count = activeTimers();
  while (count > baseline && Date.now() < until) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = activeTimers();
  }
  return count;
}
