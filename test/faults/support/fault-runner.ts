import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallOptions, isBrokerError, type PlatformDriver } from '../../../packages/core/src/index.js';
import {
  FAULTS,
  type FaultBed,
  type FaultKind,
  type FaultTable,
  OPERATIONS,
  type Operation,
  type Outcome,
  type Prepared,
} from './fault-kinds.js';
import { activeTimers, settleTimers, watchUnhandledRejections } from './process-watch.js';

/**
 * Every wait of the suite: polls at once, gives up after 1 s. That is also the whole
 * call's deadline (the request, its retries and the wait), so it leaves room for a create
 * on a busy machine; a stuck row costs it once.
 */
export const WAIT = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 1_000 } as const;
/** The caller's deadline in latency rows (an AbortSignal), far below the injected latency. */
export const LATENCY_DEADLINE_MS = 150;
// Scheduling noise on a busy 2-core machine; a hang or a retry storm is far above it.
const SLACK_MS = 700;

/**
 * Runs one operation of the table on `prepared` resources and says how it ended:
 * `ok` or the error (with the status of a read, so stuck/error reads are checked too).
 */
async function runOperation(
  driver: PlatformDriver,
  op: Operation,
  prepared: Prepared,
  options: CallOptions,
  name: string,
): Promise<{ ok: true; status?: string } | { ok: false; error: unknown }> {
  const { serverId, volumeId } = prepared;
  // A read's deadline is its own `timeoutMs`, the same as the mutating calls' wait.
  const read = { timeoutMs: WAIT.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
  try {
    switch (op) {
      case 'createServer':
        await driver.createServer({ name, image: '', flavor: '' }, options);
        return { ok: true };
      case 'getServer':
        return { ok: true, status: (await driver.getServer({ serverId }, read)).status };
      case 'getVolume':
        return { ok: true, status: (await driver.getVolume({ volumeId }, read)).status };
      case 'attachVolume':
        await driver.attachVolume({ serverId, volumeId }, options);
        return { ok: true };
      case 'detachVolume':
        await driver.detachVolume({ serverId, volumeId }, options);
        return { ok: true };
      case 'deleteServer':
        await driver.deleteServer({ serverId }, options);
        return { ok: true };
    }
  } catch (error) {
    return { ok: false, error };
  }
}

/** Options of one table run. */
export interface FaultTableOptions {
  /** The createServer request's image, flavor and zone on this cloud. */
  readonly create: { image: string; flavor: string; availabilityZone?: string };
}

/**
 * Declares one test per (fault, operation) row of `table` against the bed
 * `open()` starts: the row ends in its expected outcome within its deadline.
 * Around them: no unhandled rejection, and no timer left once the bed stopped.
 */
export function describeFaultTable(
  name: string,
  open: () => Promise<FaultBed>,
  table: FaultTable,
  options: FaultTableOptions,
): void {
  describe(`${name}: every operation under every fault`, () => {
    let bed: FaultBed;
    let timersBefore = 0;
    let rows = 0;
    const rejections = watchUnhandledRejections();
    beforeAll(async () => {
      timersBefore = activeTimers();
      bed = await open();
    });
    afterAll(async () => {
      await bed?.stop();
      const left = await settleTimers(timersBefore, 2_000);
      expect(rejections()).toEqual([]);
      expect(left).toBeLessThanOrEqual(timersBefore);
    });

    for (const fault of FAULTS) {
      const row = table[fault];
      if (!row) continue;
      OPERATIONS.forEach((op, index) => {
        const expected = row[index] as Outcome;
        if (expected.startsWith('skip:')) {
          it.skip(`${op} under ${fault}: ${expected.slice(5).trim()}`, () => {});
          return;
        }
        it(`${op} under ${fault} ends in ${expected} within its deadline`, async () => {
          bed.clear();
          const made = await bed.prepare(op);
          const prepared = (await bed.inject(fault, op, made)) ?? made;
          const deadline = fault === 'latency' ? LATENCY_DEADLINE_MS : WAIT.timeoutMs;
          const call: CallOptions = {
            wait: WAIT,
            ...(fault === 'latency' ? { signal: AbortSignal.timeout(LATENCY_DEADLINE_MS) } : {}),
            ...(op === 'createServer' ? { idempotencyKey: `fault-${fault}-${rows + 1}` } : {}),
          };
          const started = performance.now();
          const driver = withCreateDefaults(bed.driver, options.create);
          const name = `fault-${fault}-${++rows}`;
          const result = await runOperation(driver, op, prepared, call, name);
          const elapsed = performance.now() - started;
          bed.clear();
          if (expected === 'ok') {
            expect(result.ok ? 'ok' : result.error).toBe('ok');
            if (result.ok && fault === 'stuck' && result.status !== undefined) {
              expect(['running', 'available']).not.toContain(result.status);
            }
            if (result.ok && fault === 'error-state' && result.status !== undefined) {
              expect(result.status).toBe('error');
            }
          } else {
            const error = result.ok ? undefined : result.error;
            expect(isBrokerError(error) ? error.code : error).toBe(expected);
          }
          expect(elapsed).toBeLessThan(deadline + SLACK_MS);
          // A create repeated after a lost or refused response must not have made a second server.
          if (op === 'createServer') {
            expect(bed.serversNamed(name)).toBeLessThanOrEqual(1);
            if (expected === 'ok') expect(bed.serversNamed(name)).toBe(1);
          }
        });
      });
    }
  });
}

// The runner names no cloud; the bed's image, flavor and zone fill the create request.
function withCreateDefaults(driver: PlatformDriver, create: FaultTableOptions['create']): PlatformDriver {
  return {
    ...driver,
    createServer: (request, options) => driver.createServer({ ...request, ...create }, options),
    getServer: (r, o) => driver.getServer(r, o),
    getVolume: (r, o) => driver.getVolume(r, o),
    attachVolume: (r, o) => driver.attachVolume(r, o),
    detachVolume: (r, o) => driver.detachVolume(r, o),
    deleteServer: (r, o) => driver.deleteServer(r, o),
  };
}

export type { FaultKind };
