// The zone rule against Nova's [cinder] cross_az_attach, both ways, on the local stack (the
// setting is flipped with scripts/openstack/cross-az.sh, which restarts nova-api and nova-compute).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDriver, isBrokerError, type PlatformDriver, type Server } from '@hybrid-broker/core';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openstackConfig, REAL_WAIT, RealCloud, repoRoot } from './real-cloud.js';

const run = promisify(execFile);
const info = inject('openstackReal');

async function setCrossAz(value: boolean): Promise<void> {
  await run(`${repoRoot}/scripts/openstack/cross-az.sh`, [String(value)], { timeout: 300_000 });
}

if (info.mode !== 'local') {
  describe('cross-zone attach on a real cloud', () => {
    it('cross_az_attach true and false', (ctx) => {
      ctx.skip("needs the local stack: the suite cannot change a staging cloud's Nova settings");
    });
  });
} else {
  describe('cross-zone attach against cross_az_attach', () => {
    let cloud: RealCloud;
    let server: Server;
    const driver = (policy: 'same' | 'cloud'): PlatformDriver =>
      createDriver(
        openstackDriver,
        openstackConfig(info, { novaMicroversion: '2.79', availabilityZonePolicy: policy }),
      );
    beforeAll(async () => {
      cloud = await RealCloud.open(info);
      if (info.state.crossAzAttach) await setCrossAz(false);
      server = await driver('same').createServer(
        {
          name: 'hb-real-cross-az',
          image: await cloud.image(),
          flavor: await cloud.flavor(),
          availabilityZone: 'nova',
          networks: [],
        },
        { wait: REAL_WAIT },
      );
    });
    afterAll(async () => {
      await cloud?.cleanup();
      await setCrossAz(info.state.crossAzAttach);
    });

    it('policy "same" refuses before Nova is asked, whatever Nova allows', async () => {
      const volumeId = await cloud.createVolume('az2');
      const error = await driver('same')
        .attachVolume({ serverId: server.id, volumeId }, { wait: REAL_WAIT })
        .catch((e: unknown) => e);
      expect(isBrokerError(error, 'invalid-request')).toBe(true);
      expect((error as Error).message).toMatch(/availability zone az2 but server .* is in nova/);
    });

    it('policy "cloud" with cross_az_attach = false: Nova refuses, naming both zones', async () => {
      const volumeId = await cloud.createVolume('az2');
      const error = await driver('cloud')
        .attachVolume({ serverId: server.id, volumeId }, { wait: REAL_WAIT })
        .catch((e: unknown) => e);
      expect(isBrokerError(error, 'invalid-request')).toBe(true);
      expect((error as Error).message).toMatch(
        /not in the same availability_zone\. Instance is in nova\. Volume is in az2/,
      );
      expect(await cloud.volumeStatus(volumeId)).toBe('available');
    });

    it('policy "cloud" with cross_az_attach = true: the attach succeeds and detaches cleanly', async () => {
      await setCrossAz(true);
      const volumeId = await cloud.createVolume('az2');
      const ref = { serverId: server.id, volumeId };
      const attachment = await driver('cloud').attachVolume(ref, { wait: REAL_WAIT });
      expect(attachment.state).toBe('attached');
      expect(await cloud.volumeStatus(volumeId)).toBe('in-use');
      expect((await driver('cloud').detachVolume(ref, { wait: REAL_WAIT })).detached).toBe(true);
      expect(await cloud.novaLists(server.id, volumeId)).toBe(false);
      // "same" still refuses it.
      const error = await driver('same')
        .attachVolume(ref, { wait: REAL_WAIT })
        .catch((e: unknown) => e);
      expect(isBrokerError(error, 'invalid-request')).toBe(true);
    });
  });
}
