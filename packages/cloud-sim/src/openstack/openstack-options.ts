/** How a region registers Cinder in the catalog (`false`: no block storage there). */
export type VolumeServiceType = 'volumev3' | 'volumev2' | 'block-storage';

/**
 * One cascaded cloud: a region in the shared Keystone catalog.
 *
 * @example { name: 'az2.dc1', volume: 'volumev2' }
 */
export interface RegionSpec {
  /** Region id as it appears in the catalog. */
  readonly name: string;
  /** Zones of this region; default `[name]` (cascading convention: region = AZ). */
  readonly availabilityZones?: readonly string[];
  /** Offer Nova here (default true). */
  readonly compute?: boolean;
  /** Cinder's catalog type here, or `false` for none (default `volumev3`). */
  readonly volume?: false | VolumeServiceType;
  /** Offer Glance here (default true). */
  readonly image?: boolean;
}

/** A Keystone domain. */
export interface DomainSpec {
  readonly id: string;
  readonly name: string;
}

/** A Keystone project. */
export interface ProjectSpec {
  /** 32-hex id; generated when omitted. */
  readonly id?: string;
  readonly name: string;
  /** Domain id or name (default `default`). */
  readonly domain?: string;
}

/** A Keystone user with a password. */
export interface UserSpec {
  /** 32-hex id; generated when omitted. */
  readonly id?: string;
  readonly name: string;
  readonly password: string;
  /** Domain id or name (default `default`). */
  readonly domain?: string;
  /** Project (name or id) an unscoped password auth is scoped to. */
  readonly defaultProject?: string;
  /** Projects (names or ids) the user holds roles on; default every project. */
  readonly projects?: readonly string[];
}

/** A Keystone application credential (always scoped to one project). */
export interface ApplicationCredentialSpec {
  /** Id; generated when omitted. */
  readonly id?: string;
  readonly name: string;
  readonly secret: string;
  /** Owning user's name or id. */
  readonly user: string;
  /** Project name or id it is bound to. */
  readonly project: string;
}

/** Users, projects and credentials Keystone knows. Each list replaces the default one. */
export interface IdentitySpec {
  readonly domains?: readonly DomainSpec[];
  readonly projects?: readonly ProjectSpec[];
  readonly users?: readonly UserSpec[];
  readonly applicationCredentials?: readonly ApplicationCredentialSpec[];
}

/** How long each OpenStack state change takes, in milliseconds. */
export interface OpenStackDelays {
  /** BUILD -> ACTIVE. */
  serverBuildMs: number;
  /** DELETED -> gone (404). */
  serverDeleteMs: number;
  /** creating -> available. */
  volumeCreateMs: number;
  /** deleting -> gone (404). */
  volumeDeleteMs: number;
  /** attaching -> in-use. */
  attachMs: number;
  /** detaching -> available. */
  detachMs: number;
  /** A start, stop or reboot: its task (`powering-off`, REBOOT...) -> SHUTOFF or ACTIVE. */
  serverPowerMs: number;
  /**
   * How long Nova still lists an attachment after Cinder's `available` (its block-device
   * mapping goes last, as on a real Nova; an attach in that window is refused). Default 0.
   */
  novaDetachLagMs: number;
}

/** How the emulated Nova behaves where real deployments differ. */
export interface NovaBehaviour {
  /**
   * Device names of attached volumes: `vd` (libvirt/KVM, default) gives /dev/vdb...;
   * `sd` gives /dev/sdb..., as Nova's fake driver and SCSI-bus clouds report.
   */
  readonly deviceStyle?: 'vd' | 'sd';
  /** Nova's `[cinder] cross_az_attach`: true lets a volume attach to a server in another zone. Default false. */
  readonly crossAzAttach?: boolean;
  /**
   * Compute hosts per availability zone, where the scheduler places servers; an
   * `anti-affinity` server group holds at most one member per host. Default 3.
   */
  readonly computeHostsPerZone?: number;
}

/** How the emulated Cinder behaves where real deployments differ. */
export interface CinderBehaviour {
  /**
   * Cinder's policy `volume_extension:volume_admin_actions:force_detach`. Its default,
   * `rule:admin_api`, needs the admin role, which no user of the simulator holds: `true`
   * answers every `os-force_detach` with Cinder's 403. Default false (a deployment that
   * granted it to project members, e.g. `rule:admin_or_owner`).
   */
  readonly forceDetachRequiresAdmin?: boolean;
  /**
   * Cinder's fix for bug 2004555 (2023.1, backported; the real Zed stack has it): an
   * attachment Nova made is detached only through Nova, so `os-force_detach` of one answers
   * 409 `ConflictNovaUsingAttachment`. Default false (Cinder before that fix).
   */
  readonly novaOwnsAttachments?: boolean;
}

/** Defaults: fast enough for tests, slow enough that a waiter must poll. */
export const DEFAULT_DELAYS: Readonly<OpenStackDelays> = {
  serverBuildMs: 100,
  serverDeleteMs: 50,
  volumeCreateMs: 50,
  volumeDeleteMs: 50,
  attachMs: 50,
  detachMs: 50,
  serverPowerMs: 50,
  novaDetachLagMs: 0,
};
