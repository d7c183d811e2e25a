import { type CallDeadline, deadlinePassed, startCallDeadline } from './call-deadline.js';
import { type CallScope, runInCall } from './call-scope.js';
import {
  type CallOptions,
  type DetachOptions,
  type Platform,
  type PlatformDriver,
  type ReadOptions,
  resolveCapabilities,
} from './driver.js';
import { abortedError, BrokerError, findBrokerError, toBrokerError } from './errors.js';
import type { BrokerEventInput } from './events.js';
import { forceRequested } from './force-detach.js';
import { KeyedMutex } from './keyed-mutex.js';
import { moveVolume } from './move-volume.js';
import { validateRequest } from './request-schemas.js';
import { scrub } from './secret.js';
import { safeCause } from './secret-hygiene.js';
import { withServerLock } from './server-lock.js';
import type { CreateServerRequest } from './types.js';

/** What the runtime wrapper needs from its broker. */
export interface RuntimeContext {
  readonly platform: string;
  /** Where operation events go; without it none are built. */
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly now: () => number;
  /** Secret strings of this platform's config, cut out of every error message. */
  readonly secrets: readonly string[];
  /** Shared so that two handles of one platform still serialize attaches. */
  readonly mutex?: KeyedMutex;
  /** Runs each operation inside a scope of its own (a tracing span). */
  readonly scope?: CallScope | undefined;
  /** The platform's region, for the call frame (see CallFrame.region). */
  readonly region?: string | undefined;
  /**
   * The platform's `wait.timeoutMs`: the deadline of a read without `timeoutMs` and of a
   * mutating call without `wait.timeoutMs`. Without it, calls have no deadline of their own.
   */
  readonly timeoutMs?: number;
}

/**
 * Wraps any driver once, so drivers stay simple: requests are validated
 * (errors name the field), attach and detach are serialized per server
 * (until the driver says its request was accepted: `serverRelease` in driver-kit),
 * every operation emits start/end events, a pre-aborted signal fails at once,
 * and every failure leaves as a BrokerError with platform and operation set
 * and no secret in its message. It adds `moveVolume`, written once here
 * over the driver's own calls, and list calls that say so when the driver
 * has none.
 */
export function wrapDriver(driver: PlatformDriver, context: RuntimeContext): Platform {
  const mutex = context.mutex ?? new KeyedMutex();
  // A driver that batches attaches orders them per server itself; the lock would keep them apart.
  // Otherwise the lock lasts until the driver calls the options' releaseServer (its request
  // accepted) or, for a driver that never does, until the call ends.
  const perServer = <T, O extends CallOptions>(
    serverId: string,
    options: O | undefined,
    task: (options: O | undefined) => Promise<T>,
  ): Promise<T> =>
    driver.ordersAttachesItself === true ? task(options) : withServerLock(mutex, serverId, options, task);
  const emit = context.emit;
  const cleaned = (error: unknown, operation: string): BrokerError =>
    clean(toBrokerError(error, `${operation} failed`), context, operation);
  // Without events (nobody listens), a call is its body plus error cleaning: no async frame of its own.
  const quiet = <T>(
    operation: string,
    signal: AbortSignal | undefined,
    body: () => Promise<T>,
  ): Promise<T> => {
    try {
      if (signal?.aborted) throw abortedError(signal, operation);
      // Promise.resolve returns a native promise as it is, and adopts whatever else a driver returned.
      return Promise.resolve(body()).catch((error: unknown) => {
        throw cleaned(error, operation);
      });
    } catch (error) {
      return Promise.reject(cleaned(error, operation));
    }
  };
  const loud = async <T>(
    emit: (event: BrokerEventInput) => void,
    operation: string,
    signal: AbortSignal | undefined,
    body: () => Promise<T>,
  ): Promise<T> => {
    const started = context.now();
    emit({ type: 'operation', operation, phase: 'start' });
    try {
      if (signal?.aborted) throw abortedError(signal, operation);
      const result = await body();
      emit({ type: 'operation', operation, phase: 'end', durationMs: context.now() - started });
      return result;
    } catch (error) {
      const broker = cleaned(error, operation);
      emit({
        type: 'operation',
        operation,
        phase: 'error',
        durationMs: context.now() - started,
        code: broker.code,
      });
      throw broker;
    }
  };
  // Every operation runs in a call frame (its global request id, the scope's span), named generically.
  const unbounded = <T>(
    operation: string,
    signal: AbortSignal | undefined,
    body: () => Promise<T>,
    request?: unknown,
  ): Promise<T> =>
    runInCall(
      { platform: context.platform, driver: driver.kind, operation, region: context.region, request },
      context.scope,
      () => (emit ? loud(emit, operation, signal, body) : quiet(operation, signal, body)),
    );
  // The calls in flight, ended by close() so that no request or sleep outlives the platform.
  const running = new Set<CallDeadline>();
  // Every call runs under its deadline: the driver gets a signal that also aborts with a
  // `timeout` error when the deadline passes, so each request, retry sleep and poll ends by it.
  const run = <T, O extends ReadOptions>(
    operation: string,
    options: O | undefined,
    timeoutMs: number | undefined,
    body: (options: O | undefined) => Promise<T>,
    request?: unknown,
  ): Promise<T> => {
    if (timeoutMs === undefined || options?.signal?.aborted)
      return unbounded(operation, options?.signal, () => body(options), request);
    const deadline = startCallDeadline(options?.signal, timeoutMs, operation);
    running.add(deadline);
    const bounded = { ...options, signal: deadline.signal } as O;
    // A driver that reports any abort as `aborted` still ends in `timeout` when the deadline was it.
    const timedOut = (error: unknown): never => {
      const found = findBrokerError(error);
      const byDeadline = deadlinePassed(deadline.signal) && !options?.signal?.aborted;
      throw byDeadline && (!found || found.code === 'aborted') ? deadline.signal.reason : error;
    };
    return unbounded(operation, options?.signal, () => body(bounded).catch(timedOut), request).finally(() => {
      running.delete(deadline);
      deadline.done();
    });
  };
  const readTimeout = (options: ReadOptions | undefined): number | undefined => {
    const own = options?.timeoutMs;
    if (own === undefined) return context.timeoutMs;
    if (typeof own !== 'number' || !Number.isFinite(own) || own < 0) {
      throw new BrokerError('invalid-request', 'timeoutMs must be a non-negative number', {
        field: 'timeoutMs',
      });
    }
    return own;
  };
  const callTimeout = (options: CallOptions | undefined): number | undefined => {
    const wait = options?.wait;
    const own = typeof wait === 'object' && wait !== null ? wait.timeoutMs : undefined;
    // A bad wait.timeoutMs is reported by the driver's own validation, naming the field.
    const timeoutMs = typeof own === 'number' && Number.isFinite(own) && own >= 0 ? own : context.timeoutMs;
    return timeoutMs === undefined ? undefined : timeoutMs + waitGrace(timeoutMs);
  };
  const read = <T>(
    operation: string,
    options: ReadOptions | undefined,
    body: (options: ReadOptions | undefined) => Promise<T>,
    request?: unknown,
  ): Promise<T> => {
    let timeoutMs: number | undefined;
    try {
      timeoutMs = readTimeout(options);
    } catch (error) {
      return Promise.reject(cleaned(error, operation));
    }
    return run(operation, options, timeoutMs, body, request);
  };
  const listServers = driver.listServers?.bind(driver);
  const listVolumes = driver.listVolumes?.bind(driver);
  const wrapped: Platform = {
    kind: driver.kind,
    capabilities: driver.capabilities,
    createServer: (request, options?: CallOptions) =>
      run(
        'createServer',
        options,
        callTimeout(options),
        (o) => driver.createServer(checkAntiAffinity(validateRequest.createServer(request), driver), o),
        request,
      ),
    attachVolume: (request, options?: CallOptions) =>
      run(
        'attachVolume',
        options,
        callTimeout(options),
        (o) => {
          const valid = validateRequest.attachVolume(request);
          return perServer(valid.serverId, o, (locked) => driver.attachVolume(valid, locked));
        },
        request,
      ),
    detachVolume: (request, options?: DetachOptions) =>
      run(
        'detachVolume',
        options,
        callTimeout(options),
        (o) => {
          const valid = validateRequest.detachVolume(request);
          forceRequested(o, driver.capabilities, driver.kind);
          return perServer(valid.serverId, o, (locked) => driver.detachVolume(valid, locked));
        },
        request,
      ),
    getServer: (request, options?: ReadOptions) =>
      read('getServer', options, (o) => driver.getServer(validateRequest.serverRef(request), o), request),
    getVolume: (request, options?: ReadOptions) =>
      read('getVolume', options, (o) => driver.getVolume(validateRequest.volumeRef(request), o), request),
    deleteServer: (request, options?: CallOptions) =>
      run(
        'deleteServer',
        options,
        callTimeout(options),
        (o) => driver.deleteServer(validateRequest.serverRef(request), o),
        request,
      ),
    listServers: (filter, options?: ReadOptions) =>
      read(
        'listServers',
        options,
        async (o) => {
          const valid = validateRequest.serverFilter(filter);
          if (!listServers) throw cannotList(driver.kind, 'servers');
          return listServers(valid, o);
        },
        filter,
      ),
    listVolumes: (filter, options?: ReadOptions) =>
      read(
        'listVolumes',
        options,
        async (o) => {
          const valid = validateRequest.volumeFilter(filter);
          if (!listVolumes) throw cannotList(driver.kind, 'volumes');
          return listVolumes(valid, o);
        },
        filter,
      ),
    // Over the wrapped calls: each step is validated, serialized per server, reported like a
    // direct call and bounded by its own deadline, so the move itself takes no single one.
    moveVolume: (request, options?: CallOptions) =>
      run(
        'moveVolume',
        options,
        undefined,
        (o) => moveVolume(wrapped, validateRequest.moveVolume(request), o),
        request,
      ),
  };
  const listRegions = driver.listRegions?.bind(driver);
  if (listRegions) {
    wrapped.listRegions = (options?: ReadOptions) => read('listRegions', options, (o) => listRegions(o));
  }
  const close = driver.close?.bind(driver);
  wrapped.close = async () => {
    for (const call of running) {
      call.cancel(
        new BrokerError('aborted', `the ${context.platform} platform was closed while the call ran`),
      );
    }
    await close?.();
  };
  return wrapped;
}

/**
 * How far past `wait.timeoutMs` a mutating call's deadline lies: the wait starts after the
 * call's first requests, and its own timeout (which reports the last state seen) should
 * normally be the one that ends it. A tenth of the timeout, 50 ms to 1 s.
 */
function waitGrace(timeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.round(timeoutMs / 10)));
}

function cannotList(kind: string, what: string): BrokerError {
  return new BrokerError('invalid-request', `the ${kind} driver cannot list ${what}`, { field: 'platform' });
}

function clean(error: BrokerError, context: RuntimeContext, operation: string): BrokerError {
  const message = scrub(error.message, context.secrets);
  const withContext = error.withContext({ platform: context.platform, operation });
  if (message === error.message && error.cause === undefined) return withContext;
  // The cause chain keeps each link's name, message, stack and code, never an SDK's request or headers.
  const copy = new BrokerError(error.code, message, {
    ...withContext.details(),
    cause: safeCause(error.cause, context.secrets),
  });
  copy.stack =
    message === error.message ? scrub(error.stack ?? '', context.secrets) : `BrokerError: ${message}`;
  return copy;
}

/** A group the driver cannot honour is refused before anything is sent: silently ignoring it would be no HA. */
function checkAntiAffinity(request: CreateServerRequest, driver: PlatformDriver): CreateServerRequest {
  if (request.antiAffinityGroup !== undefined && !resolveCapabilities(driver.capabilities).antiAffinity) {
    throw new BrokerError('invalid-request', `driver ${driver.kind} does not support antiAffinityGroup`, {
      field: 'antiAffinityGroup',
    });
  }
  return request;
}
