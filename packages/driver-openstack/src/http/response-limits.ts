/**
 * Why a transport gave up on a response it had started to receive. The HTTP client maps
 * each to a typed BrokerError; transports stay free of BrokerError wording.
 */
export class ResponseRefused extends Error {
  /** @param reason `too-large`: over the size cap; `timed-out`: the per-request timeout cut it. */
  constructor(
    readonly reason: 'too-large' | 'timed-out',
    message: string,
  ) {
    super(message);
    this.name = 'ResponseRefused';
  }
}

/**
 * Default cap of one response body: 16 MiB. The largest real list pages fit: 1000 Nova
 * servers/detail entries (Nova's `osapi_max_limit`) at ~2-5 KB each, 1000 EC2 instances of
 * DescribeInstances XML at ~6-10 KB each, an ARM page of VMs. A 50 MB proxy page does not.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The error of a body over `maxBytes`. */
export function tooLarge(maxBytes: number): ResponseRefused {
  return new ResponseRefused('too-large', `the response body is larger than the ${maxBytes}-byte cap`);
}
