import type { SimRandom } from '../random.js';
import { TransitionTimes, type TransitionTimesSpec } from '../scenario/transition-times.js';
import type { Scheduler } from '../scheduler.js';
import {
  DEFAULT_FLAVORS,
  DEFAULT_IMAGES,
  DEFAULT_NETWORKS,
  type Flavor,
  type Image,
  type Network,
  uuidFrom,
} from './catalog-data.js';
import { IdentityStore } from './identity.js';
import { Lifecycle, type TimedChange } from './lifecycle.js';
import {
  type CinderBehaviour,
  DEFAULT_DELAYS,
  type IdentitySpec,
  type NovaBehaviour,
  type OpenStackDelays,
  type RegionSpec,
} from './openstack-options.js';
import { RegionRegistry } from './regions.js';
import { OpenStackState } from './state.js';
import { TokenStore } from './tokens.js';

/** Options of the OpenStack part of the simulator. */
export interface OpenStackSimOptions {
  /** Number of regions (`RegionOne`, `RegionTwo`, ...) or their specs. Default 1. */
  readonly regions?: number | readonly RegionSpec[];
  /** Users, projects, application credentials. */
  readonly identity?: IdentitySpec;
  /** Token lifetime in ms (default one hour). */
  readonly tokenTtlMs?: number;
  /** State change delays; unspecified ones keep their defaults. */
  readonly delays?: Partial<OpenStackDelays>;
  /** Where Nova differs between deployments (device names, cross-zone attaches). */
  readonly nova?: NovaBehaviour;
  /** Seeded ranges some delays are drawn from instead (the failover scenario). Off by default. */
  readonly transitionTimes?: TransitionTimesSpec<TimedChange>;
  /** Names of images Glance offers beside the default ones; a name given twice makes two images. */
  readonly extraImages?: readonly string[];
  /** Where Cinder differs between deployments (the force-detach policy). */
  readonly cinder?: CinderBehaviour;
}

/**
 * The emulated OpenStack deployment: one Keystone, regions with Nova/Cinder/Glance, and
 * their servers and volumes. The HTTP services and the admin helpers share this object.
 */
export class OpenStackSim {
  readonly identity: IdentityStore;
  readonly tokens: TokenStore;
  readonly regions: RegionRegistry;
  readonly state = new OpenStackState();
  readonly lifecycle: Lifecycle;
  readonly flavors: readonly Flavor[] = DEFAULT_FLAVORS;
  readonly images: readonly Image[];
  readonly networks: readonly Network[] = DEFAULT_NETWORKS;
  readonly random: SimRandom;
  /** Clock for timestamps and token expiry. */
  readonly now: () => number;
  /** Nova's deployment settings (mutable between test steps). */
  nova: Required<NovaBehaviour>;
  /** Cinder's deployment settings (mutable between test steps). */
  cinder: Required<CinderBehaviour>;

  /** Builds the deployment; throws on inconsistent identity options. */
  constructor(
    options: OpenStackSimOptions,
    random: SimRandom,
    scheduler: Scheduler,
    now: () => number = Date.now,
  ) {
    this.random = random;
    this.now = now;
    this.images = [...DEFAULT_IMAGES, ...(options.extraImages ?? []).map(extraImage)];
    this.nova = { deviceStyle: 'vd', crossAzAttach: false, computeHostsPerZone: 3, ...options.nova };
    this.cinder = { forceDetachRequiresAdmin: false, novaOwnsAttachments: false, ...options.cinder };
    this.identity = new IdentityStore(options.identity);
    this.tokens = new TokenStore(random, options.tokenTtlMs ?? 3_600_000, now);
    this.regions = new RegionRegistry(options.regions ?? 1);
    this.lifecycle = new Lifecycle(
      this.state,
      scheduler,
      random,
      { ...DEFAULT_DELAYS, ...options.delays },
      now,
    );
    if (options.transitionTimes) this.lifecycle.times = new TransitionTimes(options.transitionTimes);
  }

  /** The mutable delays (change them between test steps). */
  get delays(): OpenStackDelays {
    return this.lifecycle.delays;
  }

  /** Finds a flavor by id or name. */
  flavor(ref: string): Flavor | undefined {
    return this.flavors.find((f) => f.id === ref || f.name === ref);
  }

  /** Finds an image by id or name. */
  image(ref: string): Image | undefined {
    return this.images.find((i) => i.id === ref || i.name === ref);
  }
}

/** An image of `extraImages`: empty, qcow2, its id stable per name and position. */
function extraImage(name: string, index: number): Image {
  return {
    id: uuidFrom(`image:${name}:${index}`),
    name,
    size: 0,
    minDisk: 0,
    minRam: 0,
    diskFormat: 'qcow2',
    created: Date.UTC(2024, 0, 15, 9, 30),
  };
}
