import type { IncomingMessage, ServerResponse } from 'node:http';
import { RouteCounters } from '../counters.js';
import type { FaultAction, FaultRule } from '../fault-rules.js';
import { FaultSet } from '../faults.js';
import { readBody } from '../http-io.js';
import { createRandom } from '../random.js';
import type { ChangeLog } from '../scenario/change-log.js';
import { Ec2RateLimit, type Ec2RateLimits } from '../scenario/ec2-limits.js';
import type { ThrottleStats } from '../scenario/token-bucket.js';
import { TransitionTimes, type TransitionTimesSpec } from '../scenario/transition-times.js';
import { closeServer, LOOPBACK, listenLoopback } from '../server.js';
import { writeWire } from '../wire-reply.js';
import { handleEc2Query } from './ec2-actions.js';
import { Ec2Cloud, type Ec2CloudOptions } from './ec2-cloud.js';
import { Ec2ApiError } from './ec2-model.js';
import { Ec2Query } from './ec2-query.js';
import { errorDocument } from './ec2-xml.js';

/** Options of {@link startEc2Sim}. */
export interface Ec2SimOptions extends Ec2CloudOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Makes probabilistic faults reproducible. */
  readonly seed?: number;
  /** Fault rules active from the start; a rule's `path` is `/<Action>`, e.g. `/RunInstances`. */
  readonly faults?: readonly FaultRule[];
  /**
   * EC2's per-action token buckets (`RequestLimitExceeded`, 503): `true` for the documented
   * sizes, or overrides. Off by default, so tests see no throttling they did not ask for.
   */
  readonly rateLimits?: boolean | Ec2RateLimits;
}

/** A running EC2 emulation. */
export interface Ec2Sim {
  /** `http://127.0.0.1:<port>`: the `endpoint` of an AWS driver config. */
  readonly url: string;
  /** The emulated region: seed volumes, fail launches, force volume states. */
  readonly cloud: Ec2Cloud;
  /** cloud-sim fault rules, matched against `POST /<Action>`. */
  readonly faults: FaultSet;
  /** Requests per action since start or the last reset, e.g. `{ RunInstances: 1 }`. */
  counts(): Record<string, number>;
  /** Requests of one action. */
  count(action: string): number;
  resetCounts(): void;
  /** When each volume and instance really changes state (`in-use`, `available`, `running`). */
  readonly changes: ChangeLog;
  /** Turns the per-action token buckets on (`true`: the documented sizes, or overrides) or off. */
  setRateLimits(limits: boolean | Ec2RateLimits): void;
  /** Requests the limiter saw and throttled, per action (zeros while it is off). */
  throttleStats(): ThrottleStats;
  /** Draws the named timings from seeded ranges from now on (`undefined`: the fixed timings again). */
  setTransitionTimes(spec: TransitionTimesSpec<keyof Ec2Cloud['timings']> | undefined): void;
  /** Stops the server; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the EC2 Query API emulation on 127.0.0.1. It speaks EC2's XML, so
 * it listens on a port of its own beside cloud-sim's JSON services, and uses
 * cloud-sim's fault rules: `throttle` answers 503 `RequestLimitExceeded`,
 * `unavailable` 503 `Unavailable`, `error` an `InternalError`, `reset` drops
 * the connection, `stuck`/`error-state` freeze or break the volume an
 * Attach/DetachVolume changes.
 *
 * @example
 * const ec2 = await startEc2Sim({ faults: [{ path: '/RunInstances', times: 2, action: { type: 'throttle' } }] });
 * // driver config: { driver: 'aws', region: 'us-east-1', endpoint: ec2.url, credentials: {...} }
 */
export async function startEc2Sim(options: Ec2SimOptions = {}): Promise<Ec2Sim> {
  const cloud = new Ec2Cloud(options);
  const random = createRandom(options.seed);
  const faults = new FaultSet(random);
  for (const rule of options.faults ?? []) faults.add(rule);
  const counters = new RouteCounters();
  const limiterOf = (limits: boolean | Ec2RateLimits | undefined) =>
    limits ? new Ec2RateLimit(limits === true ? {} : limits, cloud.now) : undefined;
  let limits = limiterOf(options.rateLimits);
  // Latency faults hold a request on a timer; stop() ends them all so no timer outlives the sim.
  const pauses = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          pauses.delete(entry);
          resolve();
        }, ms),
      };
      pauses.add(entry);
    });
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() =>
      send(res, 500, errorDocument('InternalError', 'Unexpected simulator error.', random.uuid())),
    );
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = random.uuid();
    const body = await readBody(req);
    const query = Ec2Query.from(body?.toString('utf8') ?? '');
    const action = query.action || '(none)';
    counters.increment(action);
    if (limits && !limits.take({ action, filtered: narrowed(query) })) {
      send(res, 503, errorDocument('RequestLimitExceeded', 'Request limit exceeded.', requestId), requestId);
      return;
    }
    const decision = faults.evaluate({
      method: (req.method ?? 'POST').toUpperCase(),
      path: `/${action}`,
      routePattern: `/${action}`,
    });
    if (decision && decision.latencyMs > 0) await pause(decision.latencyMs);
    await decision?.hold;
    if (decision?.terminal?.type === 'reset') {
      req.socket.destroy();
      return;
    }
    if (decision?.terminal?.type === 'wire') {
      writeWire(req, res, decision.terminal);
      return;
    }
    if (decision?.terminal) {
      const [status, code, message] = faultReply(decision.terminal);
      send(res, status, errorDocument(code, message, requestId), requestId);
      return;
    }
    try {
      const reply = handleEc2Query(cloud, query, requestId);
      const volumeId = query.get('VolumeId');
      if (decision?.transition && volumeId !== undefined) {
        cloud.forceVolume(volumeId, decision.transition.outcome);
      }
      send(res, reply.status, reply.body, requestId);
    } catch (error) {
      if (!(error instanceof Ec2ApiError)) throw error;
      send(res, error.status, errorDocument(error.code, error.message, requestId), requestId);
    }
  };
  const { server, port } = await listenLoopback(handler, options.port ?? 0);
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}`,
    cloud,
    faults,
    counts: () => counters.snapshot(),
    count: (action) => counters.get(action),
    resetCounts: () => counters.reset(),
    changes: cloud.changes,
    setRateLimits(next) {
      limits = limiterOf(next);
    },
    throttleStats: () => limits?.stats() ?? { requests: 0, throttled: 0, buckets: {} },
    setTransitionTimes(spec) {
      cloud.times = new TransitionTimes(spec ?? { ranges: {} });
    },
    stop() {
      for (const entry of pauses) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pauses.clear();
      stopping ??= closeServer(server);
      return stopping;
    },
  };
}

/** Whether a call names ids, filters or a page size: EC2 limits whole-account Describe* calls harder. */
function narrowed(query: Ec2Query): boolean {
  return (
    query.list('VolumeId').length > 0 ||
    query.list('InstanceId').length > 0 ||
    query.get('Filter.1.Name') !== undefined ||
    query.get('MaxResults') !== undefined
  );
}

function faultReply(
  action: Exclude<
    FaultAction,
    { type: 'latency' | 'rendezvous' | 'revoke-token' | 'stuck' | 'error-state' | 'reset' | 'wire' }
  >,
): [number, string, string] {
  switch (action.type) {
    case 'throttle':
      return [action.status ?? 503, 'RequestLimitExceeded', action.message ?? 'Request limit exceeded.'];
    case 'unavailable':
      return [503, 'Unavailable', action.message ?? 'The service is unavailable. Please try again shortly.'];
    case 'error':
      return [
        action.status,
        action.status >= 500 ? 'InternalError' : 'InvalidRequest',
        action.message ?? 'Injected fault.',
      ];
  }
}

/** Writes an XML reply; EC2 sends the request id in the body and in `x-amzn-requestid`. */
function send(res: ServerResponse, status: number, xml: string, requestId?: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(xml),
    ...(requestId === undefined ? {} : { 'x-amzn-requestid': requestId }),
  });
  res.end(xml);
}
