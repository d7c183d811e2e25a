/**
 * Canary secrets in every driver's config (passwords, application credential
 * secrets, tokens, access keys, session tokens, client secrets, the bearer
 * token Entra ID issues) through successful and failing operations: none of
 * them appears in any error (message, stack, JSON, util.inspect with causes),
 * event or log line.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDriver, isBrokerError } from '../../packages/core/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';
import { EC2_IMAGE, EC2_ZONE, openAwsBed } from '../faults/support/aws-bed.js';
import { ARM, openAzureBed } from '../faults/support/azure-bed.js';
import type { FaultBed } from '../faults/support/fault-kinds.js';
import { OS_ZONE, openOpenStackBed } from '../faults/support/openstack-bed.js';
import { createCapture, leaks } from './capture.js';
import { mockEntraId } from './entra-id.js';
import { exercise } from './exercise.js';

const OS = {
  password: 'canary-pw-7f3a9c1e5b',
  appCred: 'canary-appcred-2d8e4f6a0c',
  token: 'canary-token-9b1c3e5d7f',
};
const AWS = {
  accessKeyId: 'AKIACANARY7F3A9C1E5B',
  secretAccessKey: 'canary-aws-secret-4e6f8a0b2c',
  sessionToken: 'canary-session-token-1a3c5e7f9a',
};
const AZURE = {
  clientSecret: 'canary~client.secret-5d7f9b1c3e',
  accessToken: 'eyJcanary.access-token.8a0c2e4f6b',
};

const identity = {
  projects: [{ name: 'demo' }],
  users: [{ name: 'demo', password: OS.password, defaultProject: 'demo' }],
  applicationCredentials: [{ name: 'sg', secret: OS.appCred, user: 'demo', project: 'demo' }],
};
const osCreate = { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: OS_ZONE };

let beds: FaultBed[] = [];
afterEach(async () => {
  for (const bed of beds) await bed.stop();
  beds = [];
  nock.cleanAll();
});

describe('no secret leaves the broker', () => {
  it('openstack: password, application credential and token canaries stay out of errors, events and logs', async () => {
    const capture = createCapture();
    const services = { services: { events: capture.events, logger: capture.logger } };
    const bed = await openOpenStackBed({ sim: { identity }, ...services });
    beds.push(bed);
    const succeeded = await exercise(bed, capture, osCreate, ['revoked']);
    // The password was sent where it belongs: Keystone accepted it.
    expect(succeeded).toBeGreaterThanOrEqual(5);
    const auth = { url: bed.sim.keystoneUrl, projectName: 'demo', projectDomainName: 'Default' };
    const appCred = createDriver(
      openstackDriver,
      {
        auth: {
          method: 'application-credential',
          url: auth.url,
          applicationCredentialName: 'sg',
          username: 'demo',
          userDomainName: 'Default',
          applicationCredentialSecret: OS.appCred,
        },
        region: OS_ZONE,
      },
      services,
    );
    const volume = bed.sim.openstack.createVolume({ region: OS_ZONE });
    expect((await appCred.getVolume({ volumeId: volume.id })).id).toBe(volume.id);
    const token = createDriver(
      openstackDriver,
      { auth: { method: 'token', token: OS.token, ...auth }, region: OS_ZONE },
      services,
    );
    const refused = await token.getVolume({ volumeId: volume.id }).catch((e: unknown) => e);
    // Keystone answers an unknown token with 404 "Could not find token: <token>": the token is in its body.
    expect(isBrokerError(refused)).toBe(true);
    capture.caught(refused);
    expect(capture.errorCount).toBeGreaterThanOrEqual(10);
    expect(leaks(capture, Object.values(OS))).toEqual([]);
  });

  it('openstack: a wrong password is auth-failed naming the auth fields sent, never a value', async () => {
    const capture = createCapture();
    const services = { services: { events: capture.events, logger: capture.logger } };
    const bed = await openOpenStackBed({ sim: { identity }, ...services });
    beds.push(bed);
    const wrong = 'canary-wrong-pw-0c4e8a2f6b';
    const driver = createDriver(
      openstackDriver,
      {
        auth: {
          method: 'password',
          url: bed.sim.keystoneUrl,
          username: 'demo',
          userDomainName: 'Default',
          password: wrong,
          projectName: 'demo',
          projectDomainName: 'Default',
        },
        region: OS_ZONE,
      },
      services,
    );
    const refused = await driver.listVolumes().catch((e: unknown) => e);
    expect(isBrokerError(refused, 'auth-failed')).toBe(true);
    capture.caught(refused);
    const fields = 'auth: username, userDomainName, password, projectName, projectDomainName)';
    expect((refused as Error).message).toContain(fields);
    expect(JSON.stringify(refused)).toContain(fields);
    expect(leaks(capture, [wrong, OS.password])).toEqual([]);
  });

  it("cascading: the shared Keystone password stays out of every region's errors, events and logs", async () => {
    const capture = createCapture();
    const bed = await openOpenStackBed({
      cascading: true,
      sim: { identity },
      services: { events: capture.events, logger: capture.logger },
    });
    beds.push(bed);
    expect(await exercise(bed, capture, osCreate, ['revoked'])).toBeGreaterThanOrEqual(5);
    expect(capture.errorCount).toBeGreaterThanOrEqual(9);
    expect(leaks(capture, [OS.password])).toEqual([]);
  });

  it('aws: access key id, secret key and session token stay out of errors, events and logs', async () => {
    const capture = createCapture();
    const bed = await openAwsBed({
      config: { credentials: AWS },
      services: { events: capture.events, logger: capture.logger },
    });
    beds.push(bed);
    expect(
      await exercise(bed, capture, { image: EC2_IMAGE, flavor: 't3.micro', availabilityZone: EC2_ZONE }),
    ).toBeGreaterThanOrEqual(5);
    expect(capture.errorCount).toBeGreaterThanOrEqual(5);
    expect(leaks(capture, Object.values(AWS))).toEqual([]);
  });

  it('azure: the client secret and the bearer token Entra ID issued stay out of errors, events and logs', async () => {
    const capture = createCapture();
    const sent = mockEntraId(AZURE.accessToken);
    const bed = await openAzureBed({
      config: {
        credentials: {
          type: 'client-secret',
          tenantId: sent.tenant,
          clientId: sent.client,
          clientSecret: AZURE.clientSecret,
        },
      },
      services: { events: capture.events, logger: capture.logger },
    });
    beds.push(bed);
    expect(
      await exercise(bed, capture, { image: ARM.image, flavor: ARM.flavor, availabilityZone: ARM.zone }),
    ).toBeGreaterThanOrEqual(5);
    // The secret went to the token endpoint and nowhere else that was captured.
    expect(sent.secrets()).toContain(AZURE.clientSecret);
    expect(capture.errorCount).toBeGreaterThanOrEqual(5);
    expect(leaks(capture, Object.values(AZURE))).toEqual([]);
  });
});
