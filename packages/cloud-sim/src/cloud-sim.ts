import { RouteCounters } from './counters.js';
import { defaultCredentials, type SimCredentials } from './credentials.js';
import { createDispatcher } from './dispatch.js';
import { FaultSet } from './faults.js';
import type { TimedChange } from './openstack/lifecycle.js';
import { OpenStackAdmin } from './openstack/openstack-admin.js';
import { openStackAdminRoutes } from './openstack/openstack-admin-routes.js';
import { OpenStackSim } from './openstack/openstack-sim.js';
import { openStackScenarioRoutes } from './openstack/scenario-admin-routes.js';
import type { OpenStackState } from './openstack/state.js';
import type { CloudSimOptions } from './options.js';
import { createRandom } from './random.js';
import type { ChangeLog } from './scenario/change-log.js';
import { type OpenStackRateLimits, openStackRateLimit } from './scenario/openstack-limits.js';
import type { SimRateLimit } from './scenario/rate-limit.js';
import type { ThrottleStats } from './scenario/token-bucket.js';
import { TransitionTimes, type TransitionTimesSpec } from './scenario/transition-times.js';
import { Scheduler } from './scheduler.js';
import { closeServer, createServices, LOOPBACK, listenLoopback } from './server.js';

/** A running simulator. */
export interface CloudSim {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Keystone v3 endpoint, `http://127.0.0.1:<port>/v3`. */
  readonly keystoneUrl: string;
  readonly port: number;
  /** Default user/project/app-credential, ready for a driver config. */
  readonly credentials: SimCredentials;
  /** OpenStack admin helpers: seed volumes/servers, force states, regions, delays, token revocation. */
  readonly openstack: OpenStackAdmin;
  /** Raw OpenStack servers and volumes (read them; change them through `openstack`). */
  readonly state: OpenStackState;
  /** Fault rules: `add(rule)`, `remove(id)`, `clear()`, `list()`. */
  readonly faults: FaultSet;
  /** When each volume and server really changed state (`in-use`, `available`, `ACTIVE`). */
  readonly changes: ChangeLog;
  /** Turns Nova's and Cinder's rate limits on (`true`: the scenario's defaults, or the buckets) or off. */
  setRateLimits(limits: boolean | OpenStackRateLimits): void;
  /** Requests the rate limiter saw and throttled (zeros while it is off). */
  throttleStats(): ThrottleStats;
  /** Draws the named delays from seeded ranges from now on (`undefined`: the fixed delays again). */
  setTransitionTimes(spec: TransitionTimesSpec<TimedChange> | undefined): void;
  /** Calls per route key since start or the last reset, e.g. `{ 'POST /v3/auth/tokens': 1 }`. */
  counts(): Record<string, number>;
  /** Calls of one route key. */
  count(key: string): number;
  /** Zeroes the counts. */
  resetCounts(): void;
  /** Clears servers, volumes, tokens, faults, counts and pending timers. */
  reset(): void;
  /** State-change and latency timers still pending (0 after `stop()`). */
  pendingTimers(): number;
  /** Closes every connection and timer; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the simulator on 127.0.0.1 (a free port unless `options.port`).
 *
 * @example
 * const sim = await startCloudSim({ regions: 2, delays: { serverBuildMs: 10 } });
 * // point a driver at sim.keystoneUrl with sim.credentials, then:
 * expect(sim.count('POST /v3/auth/tokens')).toBe(1);
 * await sim.stop();
 */
export async function startCloudSim(options: CloudSimOptions = {}): Promise<CloudSim> {
  const random = createRandom(options.seed);
  const scheduler = new Scheduler();
  // Faults draw from their own stream: ids and request ids taken in between (whose order
  // varies with concurrency) then cannot shift which calls a probabilistic rule hits.
  const faults = new FaultSet(createRandom(options.seed === undefined ? undefined : options.seed ^ 0x5eed));
  const counters = new RouteCounters();
  const os = new OpenStackSim(options, random, scheduler, options.now);
  const admin = new OpenStackAdmin(os);
  for (const rule of options.faults ?? []) faults.add(rule);
  let origin = '';
  const limiterOf = (limits: boolean | OpenStackRateLimits | undefined): SimRateLimit | undefined =>
    limits ? openStackRateLimit(limits === true ? {} : limits, options.now) : undefined;
  let limits = limiterOf(options.rateLimits);
  const scenario = {
    changes: os.lifecycle.changes,
    setRateLimits(next: boolean | OpenStackRateLimits): void {
      limits = limiterOf(next);
    },
    throttleStats: (): ThrottleStats => limits?.stats() ?? { requests: 0, throttled: 0, buckets: {} },
    setTransitionTimes(spec: TransitionTimesSpec<TimedChange> | undefined): void {
      os.lifecycle.times = new TransitionTimes(spec ?? { ranges: {} });
    },
  };
  const reset = (): void => {
    scheduler.clear();
    admin.reset();
    faults.clear();
    counters.reset();
    limits?.reset();
    os.lifecycle.changes.clear();
  };
  const services = createServices({
    openstack: os,
    admin: {
      faults,
      counters,
      reset,
      info: () => ({ url: origin, keystoneUrl: `${origin}/v3`, credentials, regions: admin.regions() }),
      extensions: [openStackAdminRoutes(admin), openStackScenarioRoutes(scenario, () => os.lifecycle.times)],
    },
  });
  const handler = createDispatcher({
    services,
    faults,
    counters,
    scheduler,
    random,
    origin: () => origin,
    revokeToken: (token) => os.tokens.revoke(token),
    limits: () => limits,
  });
  const { server, port } = await listenLoopback(handler, options.port ?? 0);
  origin = `http://${LOOPBACK}:${port}`;
  const credentials = defaultCredentials(os, `${origin}/v3`);
  let stopping: Promise<void> | undefined;
  return {
    url: origin,
    keystoneUrl: `${origin}/v3`,
    port,
    credentials,
    openstack: admin,
    state: os.state,
    faults,
    ...scenario,
    counts: () => counters.snapshot(),
    count: (key) => counters.get(key),
    resetCounts: () => counters.reset(),
    reset,
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
