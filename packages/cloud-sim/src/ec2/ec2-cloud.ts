import { randomBytes } from 'node:crypto';
import { ChangeLog } from '../scenario/change-log.js';
import { TransitionTimes, type TransitionTimesSpec } from '../scenario/transition-times.js';
import {
  DEFAULT_EC2_TIMINGS,
  Ec2ApiError,
  type Ec2Timings,
  type InstanceRecord,
  type VolumeRecord,
} from './ec2-model.js';
import { Ec2PlacementGroups, SPREAD_LIMIT_PER_ZONE } from './ec2-placement-groups.js';
import { type InstanceView, instanceView, type VolumeView, volumeView } from './ec2-views.js';

/** What the emulated region offers. */
export interface Ec2CloudOptions {
  readonly region?: string;
  /** Zones of the region; each has one default subnet `subnet-<n>`. */
  readonly availabilityZones?: readonly string[];
  /** AMI ids RunInstances accepts. */
  readonly images?: readonly string[];
  readonly instanceTypes?: readonly string[];
  readonly timings?: Partial<Ec2Timings>;
  /** Racks per zone a spread placement group can use (default 7, EC2's own limit per zone). */
  readonly racksPerZone?: number;
  /** The emulation's clock (ms); the default is `Date.now`. */
  readonly now?: () => number;
  /** Seeded ranges some timings are drawn from instead (the failover scenario). Off by default. */
  readonly transitionTimes?: TransitionTimesSpec<keyof Ec2Timings>;
}

/** What RunInstances asks for, already parsed from the query. */
export interface LaunchSpec {
  readonly imageId: string;
  readonly instanceType: string;
  readonly availabilityZone: string | undefined;
  readonly subnetId: string | undefined;
  readonly keyName: string | undefined;
  readonly securityGroupIds: readonly string[];
  readonly tags: ReadonlyMap<string, string>;
  readonly clientToken: string | undefined;
  /** `Placement.GroupName`. */
  readonly placementGroupName?: string | undefined;
}

const hexId = (prefix: string): string => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;

/**
 * One emulated EC2 region: instances and EBS volumes whose transitions take
 * time (computed from the clock when read, so nothing runs in the background),
 * ClientToken idempotency, and the errors EC2 gives for the same mistakes.
 */
export class Ec2Cloud {
  readonly region: string;
  readonly zones: readonly string[];
  readonly images: ReadonlySet<string>;
  readonly instanceTypes: ReadonlySet<string>;
  readonly timings: Ec2Timings;
  readonly now: () => number;
  readonly instances = new Map<string, InstanceRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  /** When each volume and instance really changes state (`in-use`, `available`, `running`). */
  readonly changes = new ChangeLog();
  /** Seeded ranges that replace the fixed timings; none by default. */
  times: TransitionTimes<keyof Ec2Timings>;
  readonly placementGroups: Ec2PlacementGroups;
  #nextLaunchFailure: string | undefined;
  #ip = 10;

  constructor(options: Ec2CloudOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.zones = options.availabilityZones ?? [`${this.region}a`, `${this.region}b`];
    this.images = new Set(options.images ?? ['ami-0abcdef1234567890']);
    this.instanceTypes = new Set(options.instanceTypes ?? ['t3.micro', 't3.small', 'm5.large']);
    this.timings = { ...DEFAULT_EC2_TIMINGS, ...options.timings };
    this.now = options.now ?? Date.now;
    this.placementGroups = new Ec2PlacementGroups(options.racksPerZone ?? SPREAD_LIMIT_PER_ZONE);
    this.times = new TransitionTimes(options.transitionTimes ?? { ranges: {} });
  }

  /** How long the next change of `kind` takes: drawn from its range when set, else the fixed timing. */
  durationOf(kind: keyof Ec2Timings): number {
    return this.times.draw(kind, this.timings[kind]);
  }

  /** Instances not (being) terminated: the ones that hold a rack. */
  liveInstances(): InstanceRecord[] {
    return [...this.instances.values()].filter((r) => {
      const { state } = instanceView(r, this.now(), this.timings.terminateMs);
      return state !== 'terminated' && state !== 'shutting-down';
    });
  }

  /** The default subnet of a zone. */
  subnetOf(zone: string): string {
    return `subnet-${(this.zones.indexOf(zone) + 1).toString().padStart(8, '0')}`;
  }

  /** Test hook: the next launched instance fails to start with this reason. */
  failNextLaunch(reason = 'Server.InternalError: Internal error on launch'): void {
    this.#nextLaunchFailure = reason;
  }

  /** Test hook: a volume goes to `error`, or freezes in its current transition (`stuck`), or is released. */
  forceVolume(volumeId: string, forced: 'error' | 'stuck' | undefined): void {
    const record = this.volumeRecord(volumeId);
    record.forced = forced;
    record.frozenAt = forced === 'stuck' ? this.now() : undefined;
  }

  /** RunInstances of one instance; a repeated ClientToken returns the first instance. */
  runInstance(spec: LaunchSpec): InstanceRecord {
    if (spec.clientToken !== undefined) {
      const earlier = [...this.instances.values()].find((i) => i.clientToken === spec.clientToken);
      if (earlier) {
        if (earlier.imageId !== spec.imageId || earlier.instanceType !== spec.instanceType) {
          throw new Ec2ApiError(
            'IdempotentParameterMismatch',
            'The client token you have provided is associated with a resource that is already deleted or has different parameters.',
          );
        }
        return earlier;
      }
    }
    if (!/^ami-[0-9a-f]{8,17}$/.test(spec.imageId)) {
      throw new Ec2ApiError('InvalidAMIID.Malformed', `Invalid id: "${spec.imageId}" (expecting "ami-...")`);
    }
    if (!this.images.has(spec.imageId)) {
      throw new Ec2ApiError('InvalidAMIID.NotFound', `The image id '[${spec.imageId}]' does not exist`);
    }
    if (!this.instanceTypes.has(spec.instanceType)) {
      throw new Ec2ApiError(
        'InvalidParameterValue',
        `Invalid value '${spec.instanceType}' for InstanceType.`,
      );
    }
    const zone = this.#zoneFor(spec);
    const group = spec.placementGroupName;
    const rack =
      group === undefined ? undefined : this.placementGroups.rackFor(group, zone, this.liveInstances());
    const now = this.now();
    const failure = this.#nextLaunchFailure;
    this.#nextLaunchFailure = undefined;
    const record: InstanceRecord = {
      id: hexId('i'),
      reservationId: hexId('r'),
      imageId: spec.imageId,
      instanceType: spec.instanceType,
      availabilityZone: zone,
      subnetId: spec.subnetId ?? this.subnetOf(zone),
      privateIp: `10.0.${Math.floor(this.#ip / 250)}.${(this.#ip++ % 250) + 2}`,
      keyName: spec.keyName,
      securityGroupIds: spec.securityGroupIds,
      tags: spec.tags,
      clientToken: spec.clientToken,
      launchedAt: now,
      runningAt: now + this.durationOf('launchMs'),
      launchFailure: failure,
      placementGroup: group,
      rack,
      terminateAt: undefined,
      terminatedAt: undefined,
    };
    this.instances.set(record.id, record);
    // The clock computes the state when read, so the change time is known now.
    if (failure === undefined) this.changes.record(record.id, 'running', record.runningAt, now);
    return record;
  }

  /** An instance as seen now; `InvalidInstanceID.*` when the id is malformed or unknown. */
  instance(id: string): InstanceView {
    if (!/^i-[0-9a-f]{8,17}$/.test(id))
      throw new Ec2ApiError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const record = this.instances.get(id);
    if (!record)
      throw new Ec2ApiError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return instanceView(record, this.now(), this.timings.terminateMs);
  }

  /** TerminateInstances of one instance; returns its state before. Its volumes detach with it. */
  terminate(id: string): { previous: InstanceView; current: InstanceView } {
    const previous = this.instance(id);
    const record = previous.record;
    if (record.terminateAt === undefined && previous.state !== 'terminated') {
      const now = this.now();
      record.terminateAt = now;
      for (const volume of this.volumes.values()) {
        for (const a of volume.attachments) {
          if (a.instanceId === id && a.detachStartedAt === undefined) {
            a.detachStartedAt = now;
            a.detachedAt = now + this.timings.terminateMs;
            this.changes.record(volume.id, 'available', a.detachedAt, now);
          }
        }
      }
    }
    return { previous, current: this.instance(id) };
  }

  /** CreateVolume: `creating` for `createVolumeMs`, then `available`. */
  createVolume(
    zone: string,
    sizeGiB: number,
    volumeType = 'gp3',
    tags = new Map<string, string>(),
  ): VolumeView {
    if (!this.zones.includes(zone)) {
      throw new Ec2ApiError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    const now = this.now();
    const record: VolumeRecord = {
      id: hexId('vol'),
      sizeGiB,
      availabilityZone: zone,
      volumeType,
      createdAt: now,
      availableAt: now + this.durationOf('createVolumeMs'),
      tags,
      attachments: [],
      forced: undefined,
      frozenAt: undefined,
    };
    this.volumes.set(record.id, record);
    return volumeView(record, now);
  }

  /** A volume as seen now; `InvalidVolume*` when the id is malformed or unknown. */
  volume(id: string): VolumeView {
    return volumeView(this.volumeRecord(id), this.now());
  }

  /** The record of a volume, pruned of attachments that have finished detaching. */
  volumeRecord(id: string): VolumeRecord {
    if (!/^vol-[0-9a-f]{8,17}$/.test(id))
      throw new Ec2ApiError('InvalidVolumeID.Malformed', `Invalid id: "${id}"`);
    const record = this.volumes.get(id);
    if (!record) throw new Ec2ApiError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
    if (record.forced !== 'stuck') {
      const now = this.now();
      record.attachments = record.attachments.filter((a) => a.detachedAt === undefined || now < a.detachedAt);
    }
    return record;
  }

  #zoneFor(spec: LaunchSpec): string {
    const subnetZone =
      spec.subnetId === undefined ? undefined : this.zones.find((z) => this.subnetOf(z) === spec.subnetId);
    if (spec.subnetId !== undefined && subnetZone === undefined) {
      throw new Ec2ApiError('InvalidSubnetID.NotFound', `The subnet ID '${spec.subnetId}' does not exist`);
    }
    const zone = spec.availabilityZone ?? subnetZone ?? this.zones[0] ?? `${this.region}a`;
    if (!this.zones.includes(zone)) {
      throw new Ec2ApiError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    if (subnetZone !== undefined && subnetZone !== zone) {
      throw new Ec2ApiError(
        'InvalidParameterValue',
        `The subnet '${spec.subnetId}' is in ${subnetZone}, not in the requested zone ${zone}`,
      );
    }
    return zone;
  }
}
