import type { PlatformDriver } from '../../packages/core/src/index.js';
import type { FaultBed, FaultKind, Operation } from '../faults/support/fault-kinds.js';
import { LATENCY_DEADLINE_MS, WAIT } from '../faults/support/fault-runner.js';
import type { Capture } from './capture.js';

/** Faults each driver is put through while its output is captured. */
const FAILING: readonly [FaultKind, Operation][] = [
  ['500', 'getVolume'],
  ['html', 'attachVolume'],
  ['malformed', 'getServer'],
  ['stuck', 'attachVolume'],
  ['error-state', 'createServer'],
  ['latency', 'getVolume'],
  ['reset', 'attachVolume'],
];

/**
 * Runs a successful create/attach/detach/delete cycle, then the fault suite's
 * failing rows, a not-found read and a refused request, catching every error
 * into `capture`. Returns the number of operations that succeeded.
 */
export async function exercise(
  bed: FaultBed,
  capture: Capture,
  create: { image: string; flavor: string; availabilityZone?: string },
  extra: FaultKind[] = [],
): Promise<number> {
  const { driver } = bed;
  let ok = 0;
  const run = async (body: () => Promise<unknown>): Promise<void> => {
    try {
      await body();
      ok++;
    } catch (error) {
      capture.caught(error);
    }
  };
  const { serverId, volumeId } = await bed.prepare('attachVolume');
  await run(() =>
    driver.createServer({ name: 'canary-ok', ...create }, { wait: WAIT, idempotencyKey: 'canary-ok' }),
  );
  await run(() => driver.attachVolume({ serverId, volumeId }, { wait: WAIT }));
  await run(() => driver.getVolume({ volumeId }));
  await run(() => driver.detachVolume({ serverId, volumeId }, { wait: WAIT }));
  await run(() => driver.deleteServer({ serverId }, { wait: WAIT }));
  for (const [fault, op] of [...FAILING, ...extra.map((f) => [f, 'getServer'] as const)]) {
    bed.clear();
    const made = await bed.prepare(op);
    const target = (await bed.inject(fault, op, made)) ?? made;
    const signal = fault === 'latency' ? AbortSignal.timeout(LATENCY_DEADLINE_MS) : undefined;
    await run(() => call(driver, op, target, create, signal));
  }
  bed.clear();
  await run(() => driver.getServer({ serverId: 'no-such-server-0000' }));
  await run(() => driver.getVolume({ volumeId: '../../etc/passwd' }));
  await run(() => driver.attachVolume({ serverId: '', volumeId }));
  return ok;
}

function call(
  driver: PlatformDriver,
  op: Operation,
  ids: { serverId: string; volumeId: string },
  create: { image: string; flavor: string; availabilityZone?: string },
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const options = { wait: WAIT, ...(signal ? { signal } : {}) };
  switch (op) {
    case 'createServer':
      return driver.createServer({ name: 'canary-fault', ...create }, options);
    case 'getServer':
      return driver.getServer({ serverId: ids.serverId }, options);
    case 'getVolume':
      return driver.getVolume({ volumeId: ids.volumeId }, options);
    case 'attachVolume':
      return driver.attachVolume(ids, options);
    case 'detachVolume':
      return driver.detachVolume(ids, options);
    case 'deleteServer':
      return driver.deleteServer({ serverId: ids.serverId }, options);
  }
}
