import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * One broker operation in progress, as the runtime wrapper starts it. A driver
 * reads the current one with `currentCall` (the OpenStack driver sends
 * its `globalRequestId` as `X-OpenStack-Request-ID`); a {@link CallScope} gets
 * it to name its span.
 */
export interface CallFrame {
  /** The platform's name in the broker config. */
  readonly platform: string;
  /** The driver kind (`openstack`, `aws`, ...). */
  readonly driver: string;
  /** The operation: `attachVolume`, `listServers`, ... */
  readonly operation: string;
  /** The platform's region as its config names it (`region`, or Azure's `location`), when it has one. */
  readonly region?: string | undefined;
  /** The validated request (ids only are safe to report: it may hold user data). */
  readonly request: unknown;
  /**
   * `req-<uuid>`, one per broker operation (made on first read): the global request id
   * OpenStack services log beside their own (oslo.middleware's `X-OpenStack-Request-ID`).
   */
  readonly globalRequestId: string;
}

/**
 * Runs each broker operation's body inside a scope of its own, e.g. with an
 * OpenTelemetry span active (`@hybrid-broker/otel` provides one), so that
 * whatever the driver does (SDK calls, events) happens inside it. Register one
 * as the `callScope` service; core imports no tracing library.
 */
export interface CallScope {
  /** Calls `body` inside the scope of `call` and returns what it returns; must not swallow its error. */
  run<T>(call: CallFrame, body: () => Promise<T>): Promise<T>;
}

const frames = new AsyncLocalStorage<CallFrame>();

/** The broker operation the caller runs inside, if any. */
export function currentCall(): CallFrame | undefined {
  return frames.getStore();
}

/** What {@link runInCall} needs to start a frame. */
export type CallStart = Omit<CallFrame, 'globalRequestId'>;

/**
 * Runs `body` as the broker operation `start`, inside `scope` when there is one.
 * A call made inside another (a composite driver's inner driver) keeps the outer
 * call's global request id, so one operation carries one id to every cloud.
 */
export function runInCall<T>(
  start: CallStart,
  scope: CallScope | undefined,
  body: () => Promise<T>,
): Promise<T> {
  const frame = new LazyIdFrame(start, frames.getStore());
  return frames.run(frame, scope ? () => scope.run(frame, body) : body);
}

// The id is made only when something reads it: most operations of most drivers never do.
class LazyIdFrame implements CallFrame {
  readonly platform: string;
  readonly driver: string;
  readonly operation: string;
  readonly region: string | undefined;
  readonly request: unknown;
  #id: string | undefined;
  readonly #outer: CallFrame | undefined;
  constructor(start: CallStart, outer: CallFrame | undefined) {
    this.platform = start.platform;
    this.driver = start.driver;
    this.operation = start.operation;
    this.region = start.region;
    this.request = start.request;
    this.#outer = outer;
  }
  get globalRequestId(): string {
    this.#id ??= this.#outer?.globalRequestId ?? `req-${randomUUID()}`;
    return this.#id;
  }
}
