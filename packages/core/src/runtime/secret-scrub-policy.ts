import { BrokerError, toBrokerError } from '../errors.js';
import { redact, scrub } from '../secret.js';
import { safeCause } from '../secret-hygiene.js';

/**
 * Every failure leaves as a BrokerError with platform and operation set, and with no secret of
 * the platform's config in its message, stack, cause chain or last state read.
 */
export class SecretScrubPolicy {
  readonly #platform: string;
  readonly #secrets: readonly string[];

  constructor(platform: string, secrets: readonly string[]) {
    this.#platform = platform;
    this.#secrets = secrets;
  }

  /** Runs `body`, turning its failure, thrown or rejected, into a clean BrokerError. */
  async run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw this.clean(error, operation);
    }
  }

  /** `error` as a BrokerError of this platform and `operation`, its secrets cut out. */
  clean(error: unknown, operation: string): BrokerError {
    const broker = toBrokerError(error, `${operation} failed`);
    const message = scrub(broker.message, this.#secrets);
    const withContext = broker.withContext({ platform: this.#platform, operation });
    if (message === broker.message && broker.cause === undefined && broker.lastState === undefined)
      return withContext;
    // The cause chain keeps each link's name, message, stack and code, never an SDK's request or headers.
    // The last state a wait read is a program's to act on, so it stays, with secret values cut out.
    const copy = new BrokerError(broker.code, message, {
      ...withContext.details(),
      cause: safeCause(broker.cause, this.#secrets),
      ...(broker.lastState === undefined ? {} : { lastState: redact(broker.lastState, this.#secrets) }),
    });
    copy.stack =
      message === broker.message ? scrub(broker.stack ?? '', this.#secrets) : `BrokerError: ${message}`;
    return copy;
  }
}
