import { RouteCounters } from '../counters.js';
import { createDispatcher } from '../dispatch.js';
import type { FaultRule } from '../fault-rules.js';
import { FaultSet } from '../faults.js';
import { createRandom } from '../random.js';
import { type ArmRateLimits, armRateLimit } from '../scenario/arm-limits.js';
import type { ChangeLog } from '../scenario/change-log.js';
import type { SimRateLimit } from '../scenario/rate-limit.js';
import type { ThrottleStats } from '../scenario/token-bucket.js';
import { TransitionTimes, type TransitionTimesSpec } from '../scenario/transition-times.js';
import { Scheduler } from '../scheduler.js';
import { closeServer, LOOPBACK, listenLoopback } from '../server.js';
import { ArmCloud, type ArmCloudOptions, type ArmTimedChange } from './arm-cloud.js';
import { type ArmServiceOptions, createArmService } from './arm-service.js';

/** Options of {@link startArmSim}. */
export interface ArmSimOptions extends ArmCloudOptions, ArmServiceOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Makes ids and probabilistic faults reproducible. */
  readonly seed?: number;
  /** Fault rules active from the start; paths are ARM route patterns, e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}`. */
  readonly faults?: readonly FaultRule[];
  /**
   * ARM's per-subscription read/write/delete buckets (429, Retry-After, and the
   * `x-ms-ratelimit-remaining-subscription-*` headers): `true` for the documented sizes, or
   * overrides. Off by default, so tests see no throttling they did not ask for.
   */
  readonly rateLimits?: boolean | ArmRateLimits;
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
  /** When each disk was really attached or detached (`attached`, `detached`) and each VM provisioned. */
  readonly changes: ChangeLog;
  /** Turns the subscription buckets on (`true`: the documented sizes, or overrides) or off. */
  setRateLimits(limits: boolean | ArmRateLimits): void;
  /** Requests the limiter saw and throttled, per bucket (zeros while it is off). */
  throttleStats(): ThrottleStats;
  /** Draws the named timings from seeded ranges from now on (`undefined`: the fixed timings again). */
  setTransitionTimes(spec: TransitionTimesSpec<ArmTimedChange> | undefined): void;
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
  const limiterOf = (limits: boolean | ArmRateLimits | undefined): SimRateLimit | undefined =>
    limits ? armRateLimit(limits === true ? {} : limits) : undefined;
  let limits = limiterOf(options.rateLimits);
  const handler = createDispatcher({
    services: [createArmService(cloud, random, options)],
    faults,
    counters,
    scheduler,
    random,
    origin: () => origin,
    revokeToken: () => {},
    limits: () => limits,
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
    changes: cloud.changes,
    setRateLimits(next) {
      limits = limiterOf(next);
    },
    throttleStats: () => limits?.stats() ?? { requests: 0, throttled: 0, buckets: {} },
    setTransitionTimes(spec) {
      cloud.times = new TransitionTimes(spec ?? { ranges: {} });
    },
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
