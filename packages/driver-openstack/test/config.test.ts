import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerError, createBroker, isBrokerError, Secret } from '@hybrid-broker/core';
import { parseOrThrow } from '@hybrid-broker/core/driver-kit';
import { describe, expect, it } from 'vitest';
import {
  loadCloudsYaml,
  openstackConfigSchema,
  openstackDriver,
  readOsEnvironment,
  resolveOpenStackSettings,
} from '../src/index.js';

const good = {
  auth: {
    method: 'password',
    url: 'https://keystone.example:5000/v3',
    username: 'demo',
    userDomainName: 'Default',
    password: 'canary-config-secret',
    projectName: 'demo',
    projectDomainName: 'Default',
  },
};

function configError(platform: Record<string, unknown>): BrokerError {
  try {
    createBroker({ platforms: { lab: { driver: 'openstack', ...platform } } } as never, {
      drivers: [openstackDriver],
    });
  } catch (error) {
    if (isBrokerError(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('config validation names the bad field', () => {
  it.each([
    [{ ...good, auth: { ...good.auth, url: 'not a url' } }, 'platforms.lab.auth.url'],
    [{ ...good, auth: { ...good.auth, password: '' } }, 'platforms.lab.auth.password'],
    [{ ...good, auth: { ...good.auth, userDomainName: undefined } }, 'platforms.lab.auth.userDomainName'],
    [
      { ...good, auth: { ...good.auth, projectName: undefined, projectDomainName: undefined } },
      'platforms.lab.auth.projectId',
    ],
    [{ ...good, auth: { ...good.auth, method: 'kerberos' } }, 'platforms.lab.auth.method'],
    [{ ...good, interfaces: ['publicURL'] }, 'platforms.lab.interfaces[0]'],
    [{ ...good, novaMicroversion: '2' }, 'platforms.lab.novaMicroversion'],
    [{ ...good, endpointOverrides: { compute: 'nope' } }, 'platforms.lab.endpointOverrides.compute'],
    [{ region: 'RegionOne' }, 'platforms.lab.auth'],
  ])('%j -> %s', (platform, field) => {
    const error = configError(platform);
    expect(error.code).toBe('invalid-request');
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('canary-config-secret');
  });

  it('holds secrets as Secret objects that print redacted', () => {
    const parsed = parseOrThrow(openstackConfigSchema, good);
    expect(parsed.auth?.method === 'password' && parsed.auth.password).toBeInstanceOf(Secret);
    expect(JSON.stringify(parsed)).not.toContain('canary-config-secret');
  });
});

describe('OS_* environment and clouds.yaml', () => {
  it('reads an openrc environment', () => {
    const settings = readOsEnvironment({
      OS_AUTH_URL: 'https://keystone.example:5000/v3',
      OS_USERNAME: 'demo',
      OS_PASSWORD: 'pw-secret',
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_ID: 'default',
      OS_REGION_NAME: 'RegionTwo',
      OS_INTERFACE: 'internalURL',
    });
    expect(settings).toEqual({
      auth: {
        method: 'password',
        url: 'https://keystone.example:5000/v3',
        username: 'demo',
        password: 'pw-secret',
        projectName: 'demo',
        userDomainName: 'Default',
        projectDomainId: 'default',
      },
      region: 'RegionTwo',
      interfaces: ['internal'],
    });
    expect(
      readOsEnvironment({
        OS_AUTH_URL: 'u',
        OS_APPLICATION_CREDENTIAL_ID: 'a',
        OS_APPLICATION_CREDENTIAL_SECRET: 's',
      })?.auth,
    ).toEqual({
      method: 'application-credential',
      url: 'u',
      applicationCredentialId: 'a',
      applicationCredentialSecret: 's',
    });
    expect(readOsEnvironment({})).toBeUndefined();
  });

  it('merges clouds.yaml with secure.yaml found through OS_CLIENT_CONFIG_FILE / OS_CLIENT_SECURE_FILE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'os-clouds-'));
    const clouds = join(dir, 'clouds.yaml');
    const secure = join(dir, 'secure.yaml');
    await writeFile(
      clouds,
      [
        'clouds:',
        '  lab:',
        '    auth:',
        '      auth_url: https://keystone.lab:5000',
        '      username: demo',
        '      project_name: demo',
        '      domain_name: Default',
        '    region_name: RegionOne',
        '    interface: internal',
        '    block_storage_endpoint_override: https://cinder.nat:8776/v3/$(project_id)s',
      ].join('\n'),
    );
    await writeFile(secure, 'clouds:\n  lab:\n    auth:\n      password: from-secure-yaml\n');
    const env = { OS_CLIENT_CONFIG_FILE: clouds, OS_CLIENT_SECURE_FILE: secure };
    const settings = await loadCloudsYaml('lab', { env });
    expect(settings).toEqual({
      auth: {
        method: 'password',
        url: 'https://keystone.lab:5000',
        username: 'demo',
        userDomainName: 'Default',
        projectName: 'demo',
        projectDomainName: 'Default',
        password: 'from-secure-yaml',
      },
      region: 'RegionOne',
      interfaces: ['internal'],
      endpointOverrides: { volume: 'https://cinder.nat:8776/v3/$(project_id)s' },
    });
    const resolved = await resolveOpenStackSettings(parseOrThrow(openstackConfigSchema, { cloud: 'lab' }), {
      env,
    });
    expect(resolved.auth.method).toBe('password');
    expect(resolved.region).toBe('RegionOne');
    const missing = await loadCloudsYaml('prod', { env }).catch((e: unknown) => e);
    expect((missing as BrokerError).message).toMatch(/cloud "prod" not found .* it has: lab/);
  });

  it('credentials from outside are validated with errors saying where they came from', async () => {
    const config = parseOrThrow(openstackConfigSchema, { useEnvironment: true });
    const error = await resolveOpenStackSettings(config, {
      env: { OS_AUTH_URL: 'https://k:5000', OS_USERNAME: 'demo', OS_PASSWORD: 'pw', OS_PROJECT_ID: 'p' },
      fieldPrefix: 'platforms.lab',
    }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as BrokerError).message).toMatch(/OS_\* environment/);
    expect((error as BrokerError).field).toBe('platforms.lab.auth.userDomainName');
    const none = await resolveOpenStackSettings(config, { env: {} }).catch((e: unknown) => e);
    expect((none as BrokerError).field).toBe('useEnvironment');
  });
});
