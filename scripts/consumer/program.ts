// The consumer's TypeScript program: type-checked (strict, skipLibCheck false,
// exactOptionalPropertyTypes, no `types` setting) against the packed .d.ts.

import { runCli } from '@hybrid-broker/cli';
import { startCloudSim } from '@hybrid-broker/cloud-sim';
import { createBroker, isBrokerError, type PlatformDriver, type Server } from '@hybrid-broker/core';
import { defineDriver, waitFor } from '@hybrid-broker/core/driver-kit';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { describePlatformDriverContract } from '@hybrid-broker/testkit';

export async function arbitrate(): Promise<Server> {
  const broker = createBroker(
    { platforms: { lab: { driver: 'memory', volumes: [{ id: 'vol-original', availabilityZone: 'az-1' }] } } },
    { drivers: [openstackDriver, cascadingDriver, awsDriver, azureDriver] },
  );
  const cloud: PlatformDriver = broker.platform('lab');
  try {
    return await cloud.createServer(
      { name: 'sg-1', image: 'cirros', flavor: 'm1.small' },
      { idempotencyKey: 'sg-1' },
    );
  } catch (error) {
    if (isBrokerError(error, 'invalid-request')) console.error(error.field);
    throw error;
  }
}
export const used = [defineDriver, waitFor, startCloudSim, describePlatformDriverContract, runCli] as const;
