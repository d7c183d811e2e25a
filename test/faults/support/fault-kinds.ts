import type { BrokerErrorCode } from '../../../packages/core/src/index.js';

/** The faults every operation is put through. */
export const FAULTS = [
  '500',
  '503',
  '429',
  'reset',
  'latency',
  'revoked',
  'stuck',
  'error-state',
  'malformed',
  'html',
  // What a network in between does (see wire-faults.ts).
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
] as const;

/** One fault kind. */
export type FaultKind = (typeof FAULTS)[number];

/** The operations of PlatformDriver, in table column order. */
export const OPERATIONS = [
  'createServer',
  'getServer',
  'getVolume',
  'attachVolume',
  'detachVolume',
  'deleteServer',
] as const;

/** One operation. */
export type Operation = (typeof OPERATIONS)[number];

/**
 * What a row must end in: `ok`, a BrokerError code, or `skip: <why>` where the
 * cloud has no such fault for that operation (the reason is printed in the test name).
 */
export type Outcome = 'ok' | BrokerErrorCode | `skip: ${string}`;

/** Expected outcomes per fault, one per operation in {@link OPERATIONS} order. */
export type FaultTable = Partial<
  Record<FaultKind, readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]>
>;

/** Ids a row's operation works on, made before the fault is injected. */
export interface Prepared {
  readonly serverId: string;
  readonly volumeId: string;
}

/** One cloud emulation with a driver pointed at it, able to inject every fault. */
export interface FaultBed {
  readonly driver: import('../../../packages/core/src/index.js').PlatformDriver;
  /** Makes the server and volume `op` needs (attached already for a detach), without faults. */
  prepare(op: Operation): Promise<Prepared>;
  /**
   * Makes `fault` hit the request `op` sends first. For reads of stuck/error it
   * puts a resource in that state instead, and may return other ids to read.
   */
  inject(fault: FaultKind, op: Operation, prepared: Prepared): Promise<Prepared | undefined>;
  /** Servers of this name the cloud holds (not yet deleted): a create must never make two. */
  serversNamed(name: string): number;
  /** Removes every injected fault (rules, interceptors, frozen clocks). */
  clear(): void;
  /** Closes the driver and stops the emulation with its timers. */
  stop(): Promise<void>;
}
