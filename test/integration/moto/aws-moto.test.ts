/**
 * The PlatformDriver contract against moto (a real EC2 emulator, run by this
 * directory's globalSetup). What moto does not emulate is proven elsewhere:
 * - moto ignores ClientToken; "same idempotency key makes one server" passes
 *   here through the driver's look-up by the idempotency tag, and the
 *   ClientToken itself is proven against nock (test/contract/aws-nock.test.ts)
 *   and cloud-sim (test/contract/aws-cloud-sim.test.ts);
 * - moto accepts cross-AZ attaches; the driver refuses them before calling, so
 *   the case passes here, and EC2's own InvalidVolume.ZoneMismatch is emulated in cloud-sim;
 * - moto's AttachVolume checks nothing: it takes a device name already in use
 *   and a volume already attached elsewhere (the last attach overwrites), so the
 *   two cases where two brokers race for a device or a volume are skipped here
 *   and proven against nock and cloud-sim, whose EC2 refuses as EC2 does
 *   (InvalidParameterValue "Attachment point ... is already in use", VolumeInUse);
 * - moto changes states instantly and cannot fail a launch or force a volume
 *   into error or a stuck transition, so those fixtures are absent here and the
 *   waits are proven against nock and cloud-sim.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { createDriver } from '../../../packages/core/src/index.js';
import { awsDriver } from '../../../packages/driver-aws/src/index.js';
import { describePlatformDriverContract } from '../../../packages/testkit/src/index.js';
import { ec2OutOfBand } from '../../contract/support/ec2-out-of-band.js';
import { firstElement, motoQuery } from './moto-query.js';

const endpoint = inject('motoEndpoint');

describePlatformDriverContract(
  'aws (moto)',
  async () => {
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    // AMI validation is on: use an image moto actually lists.
    const image = firstElement(
      await motoQuery(endpoint, 'DescribeImages', { 'Owner.1': 'amazon' }),
      'imageId',
    );
    const config = {
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'moto-secret-key' },
      maxAttempts: 2,
      retryBaseDelayMs: 0,
      // moto's AMIs are Amazon's: listImages and image names look there.
      imageOwners: ['amazon'],
    };
    const driver = createDriver(awsDriver, config);
    // a second broker process on the same moto: its own SDK client and per-server locks
    const secondDriver = createDriver(awsDriver, config);
    return {
      driver,
      secondDriver,
      fixtures: {
        missingIds: { serverId: 'i-0000000000000dead', volumeId: 'vol-0000000000000beef' },
        image,
        flavor: 't2.micro',
        availabilityZone: 'us-east-1a',
        otherAvailabilityZone: 'us-east-1b',
        createVolume: async (zone) =>
          firstElement(
            await motoQuery(endpoint, 'CreateVolume', { AvailabilityZone: zone, Size: '1' }),
            'volumeId',
          ),
        outOfBand: ec2OutOfBand((action, fields) => motoQuery(endpoint, action, fields)),
      },
      cleanup: async () => {
        await driver.close?.();
        await secondDriver.close?.();
      },
    };
  },
  {
    runner: { describe, it, beforeAll, afterAll },
    wait: { initialDelayMs: 1, maxDelayMs: 20, jitter: 0, timeoutMs: 10_000 },
    skip: [
      // moto's AttachVolume refuses neither a used device nor a volume attached elsewhere (see above).
      'two brokers attaching two volumes to one server at once both end attached on distinct devices',
      'two brokers attaching one volume to two servers at once end with one holder and one fast conflict',
      // moto (5.2.1 here) implements no placement groups: CreatePlacementGroup and
      // DescribePlacementGroups are not among its EC2 actions, and it places no instance on a rack.
      ...[
        'servers created with one antiAffinityGroup land on different hosts',
        'a create repeated with the same key and group converges: one server, one group, from either broker',
        'a group past the cloud capacity ends in placement-failed, leaves no server, and a repeat converges',
      ].map((name) => ({
        name,
        reason: 'moto implements no EC2 placement groups (CreatePlacementGroup, DescribePlacementGroups)',
      })),
    ],
  },
);
