/** Options every read takes. */
export interface ReadOptions {
  /** Aborts the call; it then rejects with an `aborted` BrokerError. */
  readonly signal?: AbortSignal;
  /**
   * The read's deadline: every request and retry sleep of it ends by then, and the call
   * rejects with a `timeout` BrokerError. Default: the platform's `wait.timeoutMs`.
   * (A mutating call's deadline is its `wait.timeoutMs`, with the same default.)
   */
  readonly timeoutMs?: number;
}
