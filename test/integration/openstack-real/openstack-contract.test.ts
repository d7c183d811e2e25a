// The full testkit contract through the openstack driver on a real Nova and Cinder (microversion
// 2.79, `networks: []` sent as "none"). Cases the cloud cannot express are reported skipped.
import { createDriver } from '@hybrid-broker/core';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { describePlatformDriverContract } from '@hybrid-broker/testkit';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { openstackConfig, REAL_WAIT, RealCloud } from './real-cloud.js';
import { contractFixtures, LOCAL_STACK_SKIPS } from './real-fixtures.js';

const info = inject('openstackReal');
const microversion = process.env.OS_REAL_MICROVERSION ?? '2.79';

describePlatformDriverContract(
  `openstack on a real ${info.mode === 'local' ? 'Zed stack' : `cloud (${info.cloud})`} at ${microversion}`,
  async () => {
    const cloud = await RealCloud.open(info);
    const driver = createDriver(openstackDriver, openstackConfig(info, { novaMicroversion: microversion }));
    return {
      driver,
      // A second broker on the same cloud, as another replica of the arbitrator would have.
      secondDriver: createDriver(openstackDriver, openstackConfig(info, { novaMicroversion: microversion })),
      fixtures: await contractFixtures(cloud, (zone) => cloud.createVolume(zone)),
      async cleanup() {
        await cloud.cleanup();
      },
    };
  },
  {
    runner: { describe, it, beforeAll, afterAll },
    wait: REAL_WAIT,
    timeoutMs: 120_000,
    skip: info.mode === 'local' ? LOCAL_STACK_SKIPS : [],
  },
);
