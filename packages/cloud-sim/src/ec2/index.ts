/**
 * @packageDocumentation
 * An emulation of the EC2 Query API (instances and EBS volumes) for tests,
 * the demo and benchmarks: {@link Ec2Cloud} holds the state, {@link handleEc2Query}
 * answers one request in EC2's XML.
 */
export { EC2_ACTIONS, type Ec2Reply, handleEc2Query } from './ec2-actions.js';
export { Ec2Cloud, type Ec2CloudOptions, type LaunchSpec } from './ec2-cloud.js';
export { DEFAULT_EC2_TIMINGS, Ec2ApiError, type Ec2Timings } from './ec2-model.js';
export { Ec2Query } from './ec2-query.js';
export { type Ec2Sim, type Ec2SimOptions, startEc2Sim } from './ec2-sim.js';
export { errorDocument } from './ec2-xml.js';
