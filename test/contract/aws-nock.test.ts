/**
 * The PlatformDriver contract against EC2 mocked with nock at its real
 * endpoint (https://ec2.us-east-1.amazonaws.com/). nock answers every Query
 * API request from cloud-sim's EC2 model, in EC2's documented XML shapes, so
 * the whole SDK path (signing, XML parsing, error deserialization) is real.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  Ec2ApiError,
  Ec2Cloud,
  Ec2Query,
  errorDocument,
  handleEc2Query,
} from '../../packages/cloud-sim/src/ec2/index.js';
import { createDriver } from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';
import { describePlatformDriverContract } from '../../packages/testkit/src/index.js';
import { ec2OutOfBand, ec2SimSend } from './support/ec2-out-of-band.js';

const ENDPOINT = 'https://ec2.us-east-1.amazonaws.com';

describePlatformDriverContract(
  'aws (nock-mocked EC2)',
  () => {
    const cloud = new Ec2Cloud({
      timings: { launchMs: 30, terminateMs: 10, attachMs: 10, detachMs: 10 },
      racksPerZone: 2,
    });
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(ENDPOINT)
      .persist()
      .post('/')
      .reply(async (request: Request) => {
        const requestId = randomUUID();
        const body = await request.text();
        try {
          const reply = handleEc2Query(cloud, Ec2Query.from(body), requestId);
          return [
            reply.status,
            reply.body,
            { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
          ];
        } catch (error) {
          if (!(error instanceof Ec2ApiError)) throw error;
          return [
            error.status,
            errorDocument(error.code, error.message, requestId),
            { 'content-type': 'text/xml' },
          ];
        }
      });
    const config = {
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLEKEYID0000', secretAccessKey: 'nock-secret-access-key' },
      maxAttempts: 1,
    };
    const driver = createDriver(awsDriver, config);
    // a second broker process on the same EC2: its own SDK client and per-server locks
    const secondDriver = createDriver(awsDriver, config);
    return {
      driver,
      secondDriver,
      fixtures: {
        missingIds: { serverId: 'i-0000000000000dead', volumeId: 'vol-0000000000000beef' },
        image: 'ami-0abcdef1234567890',
        flavor: 't3.micro',
        availabilityZone: 'us-east-1a',
        otherAvailabilityZone: 'us-east-1b',
        createVolume: async (zone) => cloud.createVolume(zone, 1).record.id,
        setVolumeStatus: async (volumeId, status) => cloud.forceVolume(volumeId, status),
        failNextBuild: async () => cloud.failNextLaunch(),
        outOfBand: ec2OutOfBand(ec2SimSend(cloud)),
        antiAffinity: {
          capacity: 2,
          hostOf: async (id) => cloud.instances.get(id)?.rack,
          countGroups: async (name) => (cloud.placementGroups.groups.has(name) ? 1 : 0),
        },
      },
      async cleanup() {
        await driver.close?.();
        await secondDriver.close?.();
        nock.cleanAll();
        nock.enableNetConnect();
      },
    };
  },
  {
    runner: { describe, it, beforeAll, afterAll },
    wait: { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 },
  },
);
