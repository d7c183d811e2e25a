import { RouteCounters } from '../counters.js';
import { createDispatcher } from '../dispatch.js';
import type { FaultRule } from '../fault-rules.js';
import { FaultSet } from '../faults.js';
import { createRandom } from '../random.js';
import { Scheduler } from '../scheduler.js';
import { closeServer, LOOPBACK, listenLoopback } from '../server.js';
import { ArmCloud, type ArmCloudOptions } from './arm-cloud.js';
import { type ArmServiceOptions, createArmService } from './arm-service.js';

/** Options of {@link startArmSim}. */
export interface ArmSimOptions extends ArmCloudOptions, ArmServiceOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Makes ids and probabilistic faults reproducible. */
  readonly seed?: number;
  /** Fault rules active from the start; paths are ARM route patterns, e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}`. */
  readonly faults?: readonly FaultRule[];
}

/** A running ARM emulation. */
export interface ArmSim {
  /** `http://127.0.0.1:<port>`: the `endpoint` of an azure driver config. */
  readonly url: string;
  readonly subscriptionId: string;
  /** The emulated region: seed disks, fail builds, force disk states. */
  readonly cloud: ArmCloud;
  readonly faults: FaultSet;
  /** Requests per route key, e.g. `{ 'PUT /subscriptions/{sub}/.../virtualMachines/{name}': 1 }`. */
  counts(): Record<string, number>;
  count(key: string): number;
  resetCounts(): void;
  /** Timers of operations still running (0 after stop). */
  pendingTimers(): number;
  /** Stops the server and every timer; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the ARM Compute emulation on 127.0.0.1 with cloud-sim's dispatcher
 * (counts, fault rules: `throttle` 429 + Retry-After, `unavailable` 503,
 * `error`, `reset`, `latency`, and `stuck` / `error-state` on the VM PUT or
 * PATCH they match).
 *
 * @example
 * const arm = await startArmSim({ timings: { provisionMs: 5 } });
 * // driver config: { driver: 'azure', endpoint: arm.url, subscriptionId: arm.subscriptionId, ... }
 */
export async function startArmSim(options: ArmSimOptions = {}): Promise<ArmSim> {
  const random = createRandom(options.seed);
  const scheduler = new Scheduler();
  const faults = new FaultSet(random);
  for (const rule of options.faults ?? []) faults.add(rule);
  const counters = new RouteCounters();
  const cloud = new ArmCloud(options, scheduler, random);
  let origin = '';
  const handler = createDispatcher({
    services: [createArmService(cloud, random, options)],
    faults,
    counters,
    scheduler,
    random,
    origin: () => origin,
    revokeToken: () => {},
  });
  const { server, port } = await listenLoopback(handler, options.port ?? 0);
  origin = `http://${LOOPBACK}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url: origin,
    subscriptionId: cloud.subscriptionId,
    cloud,
    faults,
    counts: () => counters.snapshot(),
    count: (key) => counters.get(key),
    resetCounts: () => counters.reset(),
    pendingTimers: () => scheduler.pending,
    stop() {
      stopping ??= (async () => {
        scheduler.clear();
        await closeServer(server);
        scheduler.clear();
      })();
      return stopping;
    },
  };
}
