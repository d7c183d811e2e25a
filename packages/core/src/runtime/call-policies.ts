import type { CallOptions, ReadOptions } from '../driver.js';
import { abortedError } from '../errors.js';
import { CallFramePolicy } from './call-frame-policy.js';
import { DeadlinePolicy } from './deadline-policy.js';
import type { RuntimeContext } from './runtime-context.js';
import { SecretScrubPolicy } from './secret-scrub-policy.js';

/**
 * The policies every call of the runtime driver shares, composed in `run` in this order,
 * outermost first: the deadline, the call frame and its events, the secret scrubbing of every
 * failure (inside the events, whose error event carries the clean code). In a file of its own
 * so that the runtime driver keeps only its one short method per operation.
 */
export class CallPolicies {
  /** The deadlines of the calls in flight, so that closing the platform ends them. */
  readonly deadlines: DeadlinePolicy;
  /** Scrubs secrets from every failure; the watch uses it for its own errors too. */
  readonly scrub: SecretScrubPolicy;
  readonly #frame: CallFramePolicy;

  constructor(context: RuntimeContext, driverKind: string) {
    this.deadlines = new DeadlinePolicy(context.timeoutMs);
    this.#frame = new CallFramePolicy(context, driverKind);
    this.scrub = new SecretScrubPolicy(context.platform, context.secrets);
  }

  /** A mutating call: its deadline is its wait's timeout and a grace. */
  call<T, O extends CallOptions>(
    operation: string,
    request: unknown,
    options: O | undefined,
    body: (options: O | undefined) => Promise<T>,
  ): Promise<T> {
    return this.run(operation, options, this.deadlines.callTimeout(options), request, body);
  }

  /** A read: a bad `timeoutMs` is refused before the call starts (no events). */
  read<T>(
    operation: string,
    options: ReadOptions | undefined,
    request: unknown,
    body: (options: ReadOptions | undefined) => Promise<T>,
  ): Promise<T> {
    let timeoutMs: number | undefined;
    try {
      timeoutMs = this.deadlines.readTimeout(options);
    } catch (error) {
      return Promise.reject(this.scrub.clean(error, operation));
    }
    return this.run(operation, options, timeoutMs, request, body);
  }

  /** The policies around one call, outermost first. */
  run<T, O extends ReadOptions>(
    operation: string,
    options: O | undefined,
    timeoutMs: number | undefined,
    request: unknown,
    body: (options: O | undefined) => Promise<T>,
  ): Promise<T> {
    const bounds = this.deadlines.start(operation, options, timeoutMs);
    const signal = options?.signal;
    const call = this.#frame.run(operation, request, () =>
      this.scrub.run(operation, async () => {
        if (signal?.aborted) throw abortedError(signal, operation);
        try {
          return await body(bounds.options);
        } catch (error) {
          return bounds.fail(error);
        }
      }),
    );
    return call.finally(() => bounds.done());
  }
}
