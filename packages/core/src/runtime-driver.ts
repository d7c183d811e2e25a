import { type CallScope, runInCall } from './call-scope.js';
import type { CallOptions, Platform, PlatformDriver, ReadOptions } from './driver.js';
import { abortedError, BrokerError, toBrokerError } from './errors.js';
import type { BrokerEventInput } from './events.js';
import { KeyedMutex } from './keyed-mutex.js';
import { moveVolume } from './move-volume.js';
import { validateRequest } from './request-schemas.js';
import { scrub } from './secret.js';

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
}

/**
 * Wraps any driver once, so drivers stay simple: requests are validated
 * (errors name the field), attach and detach are serialized per server,
 * every operation emits start/end events, a pre-aborted signal fails at once,
 * and every failure leaves as a BrokerError with platform and operation set
 * and no secret in its message. It adds `moveVolume`, written once here
 * over the driver's own calls, and list calls that say so when the driver
 * has none.
 */
export function wrapDriver(driver: PlatformDriver, context: RuntimeContext): Platform {
  const mutex = context.mutex ?? new KeyedMutex();
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
  const run = <T>(
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
  const listServers = driver.listServers?.bind(driver);
  const listVolumes = driver.listVolumes?.bind(driver);
  const wrapped: Platform = {
    kind: driver.kind,
    capabilities: driver.capabilities,
    createServer: (request, options?: CallOptions) =>
      run(
        'createServer',
        options?.signal,
        () => driver.createServer(validateRequest.createServer(request), options),
        request,
      ),
    attachVolume: (request, options?: CallOptions) =>
      run(
        'attachVolume',
        options?.signal,
        () => {
          const valid = validateRequest.attachVolume(request);
          return mutex.run(valid.serverId, () => driver.attachVolume(valid, options));
        },
        request,
      ),
    detachVolume: (request, options?: CallOptions) =>
      run(
        'detachVolume',
        options?.signal,
        () => {
          const valid = validateRequest.detachVolume(request);
          return mutex.run(valid.serverId, () => driver.detachVolume(valid, options));
        },
        request,
      ),
    getServer: (request, options?: ReadOptions) =>
      run(
        'getServer',
        options?.signal,
        () => driver.getServer(validateRequest.serverRef(request), options),
        request,
      ),
    getVolume: (request, options?: ReadOptions) =>
      run(
        'getVolume',
        options?.signal,
        () => driver.getVolume(validateRequest.volumeRef(request), options),
        request,
      ),
    deleteServer: (request, options?: CallOptions) =>
      run(
        'deleteServer',
        options?.signal,
        () => driver.deleteServer(validateRequest.serverRef(request), options),
        request,
      ),
    listServers: (filter, options?: ReadOptions) =>
      run('listServers', options?.signal, async () => {
        const valid = validateRequest.serverFilter(filter);
        if (!listServers) throw cannotList(driver.kind, 'servers');
        return listServers(valid, options);
      }),
    listVolumes: (filter, options?: ReadOptions) =>
      run('listVolumes', options?.signal, async () => {
        const valid = validateRequest.volumeFilter(filter);
        if (!listVolumes) throw cannotList(driver.kind, 'volumes');
        return listVolumes(valid, options);
      }),
    // Over the wrapped calls: each step is validated, serialized per server and reported like a direct call.
    moveVolume: (request, options?: CallOptions) =>
      run('moveVolume', options?.signal, () =>
        moveVolume(wrapped, validateRequest.moveVolume(request), options),
      ),
  };
  const listRegions = driver.listRegions?.bind(driver);
  if (listRegions) {
    wrapped.listRegions = (options?: ReadOptions) =>
      run('listRegions', options?.signal, () => listRegions(options));
  }
  const close = driver.close?.bind(driver);
  if (close) wrapped.close = close;
  return wrapped;
}

function cannotList(kind: string, what: string): BrokerError {
  return new BrokerError('invalid-request', `the ${kind} driver cannot list ${what}`, { field: 'platform' });
}

function clean(error: BrokerError, context: RuntimeContext, operation: string): BrokerError {
  const message = scrub(error.message, context.secrets);
  const withContext = error.withContext({ platform: context.platform, operation });
  if (message === error.message) return withContext;
  const copy = new BrokerError(error.code, message, withContext.details());
  copy.stack = `BrokerError: ${message}`;
  return copy;
}
