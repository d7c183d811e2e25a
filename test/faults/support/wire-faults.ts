import type { WireFault } from '../../../packages/cloud-sim/src/index.js';
import type { FaultKind } from './fault-kinds.js';
import { HTML_502 } from './nock-faults.js';

/** The faults a network in between makes (cloud-sim `wire` rules), as opposed to the cloud's own. */
export const WIRE_FAULTS = [
  'redirect',
  'html-200',
  'stalled-body',
  'oversized',
  'truncated',
  'retry-after-0',
  'retry-after-negative',
  'retry-after-garbage',
  'retry-after-date',
  'retry-after-huge',
] as const satisfies readonly FaultKind[];

/** One wire fault kind. */
export type WireFaultKind = (typeof WIRE_FAULTS)[number];

/** Each bed's response cap in these rows: small, so an oversized body costs the suite little. */
export const BED_MAX_RESPONSE_BYTES = 256 * 1024;

/** How one cloud words the bodies of wire faults. */
export interface CloudWording {
  readonly contentType: string;
  /** A body cut short (valid up to where it stops). */
  readonly partial: string;
  /** Its throttling answer, status and body, to carry a Retry-After. */
  readonly throttle: { readonly status: number; readonly body: string };
}

/** Cloud wording of OpenStack (Nova and Cinder JSON). */
export const OPENSTACK_WORDING: CloudWording = {
  contentType: 'application/json',
  partial: '{"server": {"id": "7d0c", "status": "ACT',
  throttle: {
    status: 429,
    body: '{"overLimit": {"code": 429, "message": "This request was rate-limited."}}',
  },
};

/** Cloud wording of EC2 (Query API XML). */
export const EC2_WORDING: CloudWording = {
  contentType: 'text/xml;charset=UTF-8',
  partial:
    '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>x</requestId><reservationSet><item>',
  throttle: {
    status: 503,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>',
  },
};

/** Cloud wording of ARM (JSON). */
export const ARM_WORDING: CloudWording = {
  contentType: 'application/json; charset=utf-8',
  partial: '{"name": "vm", "properties": {"provisioningState": "Succ',
  throttle: {
    status: 429,
    body: '{"error": {"code": "TooManyRequests", "message": "The request is being throttled."}}',
  },
};

/** The cloud-sim rule action of one wire fault, in `cloud`'s wording. */
export function wireFault(kind: WireFaultKind, cloud: CloudWording): WireFault {
  const typed = { 'content-type': cloud.contentType };
  const throttled = (retryAfter: string): WireFault => ({
    status: cloud.throttle.status,
    headers: { ...typed, 'retry-after': retryAfter },
    body: cloud.throttle.body,
    type: 'wire',
  });
  switch (kind) {
    case 'redirect':
      return {
        type: 'wire',
        status: 302,
        headers: { location: 'http://evil.example/steal?from=broker', 'content-type': 'text/html' },
        body: '<html><body>Moved</body></html>',
      };
    case 'html-200':
      return { type: 'wire', status: 200, headers: { 'content-type': 'text/html' }, body: HTML_502 };
    case 'stalled-body':
      return { type: 'wire', status: 200, headers: typed, body: cloud.partial, ending: 'stall' };
    case 'oversized':
      return {
        type: 'wire',
        status: 200,
        headers: typed,
        body: cloud.partial,
        padToBytes: 4 * BED_MAX_RESPONSE_BYTES,
        // No content-length: the cap must be enforced while the body streams.
        chunked: true,
      };
    case 'truncated':
      return { type: 'wire', status: 200, headers: typed, body: cloud.partial, ending: 'cut' };
    case 'retry-after-0':
      return throttled('0');
    case 'retry-after-negative':
      return throttled('-5');
    case 'retry-after-garbage':
      return throttled('soon, maybe');
    case 'retry-after-date':
      // Ten seconds on: beyond every row's deadline, so the call must end at once, not sleep.
      return throttled(new Date(Date.now() + 10_000).toUTCString());
    case 'retry-after-huge':
      return throttled('999999999');
  }
}

/** True for the faults of {@link WIRE_FAULTS}. */
export function isWireFault(kind: FaultKind): kind is WireFaultKind {
  return (WIRE_FAULTS as readonly FaultKind[]).includes(kind);
}
