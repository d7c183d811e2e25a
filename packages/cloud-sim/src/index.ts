/// <reference types="node" preserve="true" />
export type { AdminDeps, AdminExtension } from './admin/admin-service.js';
export type { ArmCloud, ArmTimedChange } from './azure/arm-cloud.js';
export { type EntraSim, type EntraSimOptions, startEntraSim } from './azure/entra-sim.js';
export { type ArmSim, type ArmSimOptions, startArmSim } from './azure/index.js';
export { type CloudSim, startCloudSim } from './cloud-sim.js';
export { passwordAuthOf, type SimCredentials, type SimPasswordAuth } from './credentials.js';
export type { Ec2Cloud } from './ec2/ec2-cloud.js';
export { type Ec2Sim, type Ec2SimOptions, startEc2Sim } from './ec2/index.js';
export type {
  ErrorFault,
  ErrorStateFault,
  FaultAction,
  FaultRule,
  FaultRuleStatus,
  LatencyFault,
  RendezvousFault,
  ResetFault,
  RevokeTokenFault,
  StuckFault,
  ThrottleFault,
  UnavailableFault,
  WireFault,
} from './fault-rules.js';
export { type FaultDecision, FaultSet, type FaultTarget } from './faults.js';
export type { DeletedRow, DeletedServers } from './openstack/changes-filters.js';
export type { TimedChange } from './openstack/lifecycle.js';
export type {
  CreateServerOptions,
  CreateVolumeOptions,
  OpenStackAdmin,
  SimServer,
  SimVolume,
} from './openstack/openstack-admin.js';
export type {
  ApplicationCredentialSpec,
  CinderBehaviour,
  DomainSpec,
  IdentitySpec,
  NovaBehaviour,
  OpenStackDelays,
  ProjectSpec,
  RegionSpec,
  UserSpec,
  VolumeServiceType,
} from './openstack/openstack-options.js';
export type { OpenStackSim } from './openstack/openstack-sim.js';
export type { Region } from './openstack/regions.js';
export type {
  OpenStackState,
  ServerRecord,
  ServerVolume,
  VolumeAttachmentRecord,
  VolumeRecord,
} from './openstack/state.js';
export type { CloudSimOptions } from './options.js';
export { type RouteHandler, RouteTable } from './route-table.js';
export { type ArmRateLimits, DEFAULT_ARM_RATE_LIMITS } from './scenario/arm-limits.js';
export { ChangeLog, type StateChange } from './scenario/change-log.js';
export { DEFAULT_EC2_RATE_LIMITS, type Ec2RateLimits } from './scenario/ec2-limits.js';
export { DEFAULT_OPENSTACK_RATE_LIMITS, type OpenStackRateLimits } from './scenario/openstack-limits.js';
export { type BucketSpec, type ThrottleStats, TokenBucket } from './scenario/token-bucket.js';
export {
  type TransitionRange,
  TransitionTimes,
  type TransitionTimesSpec,
} from './scenario/transition-times.js';
export {
  type SimContext,
  SimError,
  type SimReply,
  type SimRequestHead,
  type SimRoute,
  type SimService,
  type TransitionFault,
} from './service.js';
