import { BrokerError } from '@hybrid-broker/core';

/** First pause after a failed token request; it doubles per further failure. */
const FIRST_PAUSE_MS = 1_000;
/** The longest pause between two token requests while Keystone keeps failing. */
const MAX_PAUSE_MS = 30_000;

/**
 * One backoff for every token request of a KeystoneAuth: after a failure,
 * no new request goes out until the pause is over (1 s, doubling to 30 s),
 * however many calls want a token meanwhile. Without it, each failing call
 * made its own renewal with its own retries: 82 requests in 21 s from one
 * driver during an outage.
 */
export class RenewalBackoff {
  #failures = 0;
  #nextAt = 0;
  #last: BrokerError | undefined;

  /** True when a request may go out now. */
  mayTry(now: number): boolean {
    return now >= this.#nextAt;
  }

  /** The error a caller gets instead of a request while the pause lasts; undefined when one may go out. */
  refusal(now: number): BrokerError | undefined {
    if (this.mayTry(now) || !this.#last) return undefined;
    const last = this.#last;
    return new BrokerError(
      last.code,
      `${last.message} (Keystone not asked again for ${Math.ceil((this.#nextAt - now) / 1000)} s after ${this.#failures} failed token request(s))`,
      { ...last.details(), retryAfterMs: this.#nextAt - now },
    );
  }

  /** Records a failed request and starts the next pause. */
  failed(now: number, error: BrokerError): void {
    this.#failures++;
    this.#last = error;
    this.#nextAt = now + Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.#failures - 1));
  }

  /** A token came: the next failure starts from the first pause again. */
  succeeded(): void {
    this.#failures = 0;
    this.#nextAt = 0;
    this.#last = undefined;
  }
}
