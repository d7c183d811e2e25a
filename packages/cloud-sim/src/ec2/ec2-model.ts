/** The EC2 records the emulation keeps; states follow EC2's own names. */

/** An instance's lifecycle state, as EC2 names it, with EC2's numeric code. */
export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'shutting-down'
  | 'terminated'
  | 'stopping'
  | 'stopped';

/** EC2's numeric codes of instance states (the low byte of `instanceState.code`). */
export const INSTANCE_STATE_CODE: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** One emulated instance. Times are ms of the emulation's clock. */
export interface InstanceRecord {
  readonly id: string;
  readonly reservationId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly subnetId: string;
  readonly privateIp: string;
  readonly keyName: string | undefined;
  readonly securityGroupIds: readonly string[];
  tags: ReadonlyMap<string, string>;
  readonly clientToken: string | undefined;
  readonly launchedAt: number;
  /** When `pending` becomes `running`. */
  readonly runningAt: number;
  /** Set when the launch fails: the instance goes to shutting-down/terminated with this reason. */
  readonly launchFailure: string | undefined;
  /** `Placement.GroupName` of its launch. */
  readonly placementGroup?: string | undefined;
  /** The rack it runs on (spread groups keep one member per rack). */
  readonly rack?: string | undefined;
  /** The last StopInstances or StartInstances: where it goes, and when it gets there. */
  powerChange?: { readonly to: 'stopped' | 'running'; readonly doneAt: number };
  /** Set by TerminateInstances. */
  terminateAt: number | undefined;
  terminatedAt: number | undefined;
}

/** One emulated attachment of a volume. */
export interface AttachmentRecord {
  readonly instanceId: string;
  readonly device: string;
  readonly startedAt: number;
  readonly attachedAt: number;
  detachStartedAt: number | undefined;
  detachedAt: number | undefined;
}

/** One emulated EBS volume. */
export interface VolumeRecord {
  readonly id: string;
  readonly sizeGiB: number;
  readonly availabilityZone: string;
  readonly volumeType: string;
  readonly createdAt: number;
  readonly availableAt: number;
  tags: ReadonlyMap<string, string>;
  attachments: AttachmentRecord[];
  /** A fault (or test hook) forcing the volume: `error` ends in error; `stuck` freezes its transition. */
  forced: 'error' | 'stuck' | undefined;
  /** The time the volume was frozen at, for `stuck`. */
  frozenAt: number | undefined;
}

/** How long transitions take, in ms. */
export interface Ec2Timings {
  readonly launchMs: number;
  readonly terminateMs: number;
  readonly createVolumeMs: number;
  readonly attachMs: number;
  readonly detachMs: number;
  /** stopping -> stopped, and pending -> running after StartInstances. */
  readonly powerMs: number;
}

/** Default transition times: short, but long enough that a client must poll. */
export const DEFAULT_EC2_TIMINGS: Ec2Timings = {
  launchMs: 40,
  terminateMs: 20,
  createVolumeMs: 0,
  attachMs: 20,
  detachMs: 20,
  powerMs: 30,
};

/** An EC2 API error: the code (`InvalidVolume.NotFound`), message and HTTP status EC2 uses. */
export class Ec2ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'Ec2ApiError';
    this.code = code;
    this.status = status;
  }
}
