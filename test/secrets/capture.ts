import { inspect } from 'node:util';
import { type Logger, MemoryEventSink } from '../../packages/core/src/index.js';

/** Everything a program could print of a run: events, log lines and the errors it caught. */
export interface Capture {
  readonly events: MemoryEventSink;
  readonly logger: Logger;
  /** Records an error (or anything thrown) for the scan. */
  caught(error: unknown): void;
  /** Every text the run produced: errors as message, stack, JSON and util.inspect; events; log lines. */
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
        String(e),
        (e as Error)?.message ?? '',
        (e as Error)?.stack ?? '',
        JSON.stringify(e) ?? '',
        inspect(e, { depth: 20 }),
      ]);
      return [...errorTexts, JSON.stringify(events.events), inspect(events.events, { depth: 20 }), ...lines];
    },
  };
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
