import { SimError } from '../service.js';

/** A JSON object as ARM sends and receives it. */
export type Json = Record<string, unknown>;

/** How long ARM operations take, in ms. */
export interface ArmTimings {
  /** A VM create until `Succeeded` and `PowerState/running`. */
  readonly provisionMs: number;
  /** A VM update (data disks) until it and the disks show the change. */
  readonly updateMs: number;
  /** A VM delete until it is gone. */
  readonly deleteMs: number;
  /** A VM start, powerOff, deallocate or restart until it lands. */
  readonly powerMs: number;
}

/** Default timings: fast enough for tests, slow enough to be polled. */
export const DEFAULT_ARM_TIMINGS: ArmTimings = { provisionMs: 30, updateMs: 15, deleteMs: 15, powerMs: 20 };

/** A VM as the emulation keeps it. */
export interface VmRecord {
  readonly name: string;
  readonly id: string;
  readonly resourceGroup: string;
  readonly vmId: string;
  readonly location: string;
  readonly zones: string[] | undefined;
  tags: Record<string, string>;
  /** The properties as PUT, kept to echo back (osProfile, storageProfile, networkProfile...). */
  properties: Json;
  dataDisks: Json[];
  provisioningState: 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting';
  power: string;
  etag: number;
  failure: { code: string; message: string } | undefined;
  readonly timeCreated: string;
  /** The availability set of its create (`properties.availabilitySet.id`). */
  readonly availabilitySetId?: string | undefined;
  /** Its fault and update domain in that set (instance view `platformFaultDomain`, `platformUpdateDomain`). */
  readonly faultDomain?: number | undefined;
  readonly updateDomain?: number | undefined;
}

/** A managed disk. */
export interface DiskRecord {
  readonly name: string;
  readonly id: string;
  readonly location: string;
  readonly zones: string[] | undefined;
  readonly sizeGiB: number;
  readonly sku: string;
  readonly uniqueId: string;
  managedBy: string | undefined;
  provisioningState: 'Updating' | 'Succeeded' | 'Failed' | 'Deleting';
  /** Its tags (set by a createVolume PUT or a PATCH, arm-disk-tags.ts), and the source it was made from. */
  tags?: Record<string, string>;
  readonly creationData?: Json;
  /** `stuck`: attach/detach changes never take effect on this disk. */
  forced: 'stuck' | undefined;
  readonly timeCreated: string;
}

/** A network interface. */
export interface NicRecord {
  readonly name: string;
  readonly id: string;
  readonly location: string;
  readonly subnetId: string;
  readonly privateIp: string;
  virtualMachine: string | undefined;
  tags: Record<string, string>;
}

/** A long-running operation behind an `Azure-AsyncOperation` URL. */
export interface OperationRecord {
  readonly id: string;
  readonly startTime: string;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error: { code: string; message: string } | undefined;
  endTime: string | undefined;
}

/** An ARM error: rendered as `{ "error": { "code", "message" } }`. */
export class ArmError extends SimError {
  /** ARM's error code, e.g. `ResourceNotFound`. */
  readonly code: string;

  /** @param status HTTP status @param code ARM error code @param message ARM's message */
  constructor(status: number, code: string, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(status, message, options);
    this.name = 'ArmError';
    this.code = code;
  }
}

/** ARM's 404 for a missing resource, worded as ARM words it. */
export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** The ARM code a status gets when a fault or the framework raised a plain SimError. */
export function codeForStatus(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 401) return 'AuthenticationFailed';
  if (status === 403) return 'AuthorizationFailed';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 412) return 'PreconditionFailed';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}
