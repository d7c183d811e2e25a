import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { deadlinePassed, type ResolvedCallOptions } from '@hybrid-broker/core/driver-kit';

/** An abort signal for SDK pollers that also fires at the call's wait deadline. */
export interface PollDeadline {
  readonly signal: AbortSignal | undefined;
  /** Turns an abort caused by the deadline (not the caller) into a `timeout` error. */
  mapError(error: BrokerError, description: string): BrokerError;
}

/**
 * SDK pollers poll until the operation ends; an operation ARM keeps
 * InProgress would hold the call forever. This bounds them by `wait.timeoutMs`,
 * like every other wait.
 */
export function pollDeadline(call: ResolvedCallOptions): PollDeadline {
  if (call.wait === false) return { signal: call.signal, mapError: (error) => error };
  const timeoutMs = call.wait.timeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
  return {
    signal,
    mapError(error, description) {
      // The call's own deadline (its signal's) is a deadline too, not the caller's abort.
      const timedOut = deadline.aborted || deadlinePassed(call.signal);
      if (!timedOut || (call.signal?.aborted && !deadlinePassed(call.signal))) return error;
      if (!isBrokerError(error, 'aborted') && !isBrokerError(error, 'timeout')) return error;
      return new BrokerError('timeout', `timed out after ${timeoutMs} ms waiting for ${description}`, {
        cause: error,
      });
    },
  };
}
