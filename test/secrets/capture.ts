import { inspect } from 'node:util';
import { type Logger, MemoryEventSink } from '../../packages/core/src/index.js';

/** Everything a program could print of a run: events, log lines and the errors it caught. */
export interface Capture {
  readonly events: MemoryEventSink;
  readonly logger: Logger;
  /** Records an error (or anything thrown) for the scan. */
  caught(error: unknown): void;
  /**
   * Every text the run produced: errors as message, stack, JSON, util.inspect (hidden properties,
   * whole depth) and each link of their cause chain; events; log lines at debug, the most verbose.
   */
  texts(): string[];
  /** How many errors were caught, to prove the failing paths ran. */
  readonly errorCount: number;
}

/** A sink, a logger and an error list whose output is scanned for canaries. */
export function createCapture(): Capture {
  const events = new MemoryEventSink();
  const lines: string[] = [];
  const errors: unknown[] = [];
  const log =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)} ${inspect(obj, { depth: 20 })}`);
    };
  return {
    events,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    caught(error) {
      errors.push(error);
    },
    get errorCount() {
      return errors.length;
    },
    texts() {
      const errorTexts = errors.flatMap((e) => [
        ...causeChain(e).flatMap((link) => [
          String(link),
          (link as Error)?.message ?? '',
          (link as Error)?.stack ?? '',
          JSON.stringify(link) ?? '',
        ]),
        inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      ]);
      return [...errorTexts, JSON.stringify(events.events), inspect(events.events, { depth: 20 }), ...lines];
    },
  };
}

/** The error and every cause under it. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link !== undefined && link !== null && chain.length < 20; ) {
    chain.push(link);
    link = typeof link === 'object' ? (link as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** The canaries found in any captured text, with a snippet around the first hit of each. */
export function leaks(capture: Capture, canaries: readonly string[]): string[] {
  const found: string[] = [];
  for (const canary of canaries) {
    for (const text of capture.texts()) {
      const at = text.indexOf(canary);
      if (at >= 0) {
        found.push(`${canary} in ...${text.slice(Math.max(0, at - 120), at + canary.length + 40)}...`);
        break;
      }
    }
  }
  return found;
}
