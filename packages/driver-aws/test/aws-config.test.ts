import { createBroker, isBrokerError, Secret } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { awsConfigSchema, awsDriver } from '../src/index.js';

const brokerWith = (aws: Record<string, unknown>) =>
  createBroker({ platforms: { cloud: { driver: 'aws', ...aws } } } as never, { drivers: [awsDriver] });

const fieldOf = (build: () => unknown): string | undefined => {
  try {
    build();
  } catch (error) {
    if (isBrokerError(error, 'invalid-request')) return error.field;
    throw error;
  }
  return undefined;
};

describe('aws config', () => {
  it('names the bad field of an invalid config', () => {
    expect(fieldOf(() => brokerWith({ region: 'Mars' }))).toBe('platforms.cloud.region');
    expect(fieldOf(() => brokerWith({ region: 'us-east-1', endpoint: 'ftp://x' }))).toBe(
      'platforms.cloud.endpoint',
    );
    expect(fieldOf(() => brokerWith({ region: 'us-east-1', retryMode: 'legacy' }))).toBe(
      'platforms.cloud.retryMode',
    );
    expect(fieldOf(() => brokerWith({ region: 'us-east-1', maxAttempts: 0 }))).toBe(
      'platforms.cloud.maxAttempts',
    );
    expect(fieldOf(() => brokerWith({ region: 'us-east-1', credentials: { accessKeyId: 'AKIA' } }))).toMatch(
      /^platforms\.cloud\.credentials/,
    );
  });

  it('accepts the default chain, a profile, or explicit keys', () => {
    expect(awsConfigSchema.parse({ region: 'eu-west-1' })).toMatchObject({
      retryMode: 'standard',
      maxAttempts: 3,
    });
    expect(
      awsConfigSchema.parse({ region: 'eu-west-1', credentials: { profile: 'ops' } }).credentials,
    ).toEqual({
      profile: 'ops',
    });
    const keys = awsConfigSchema.parse({
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'very-secret',
        sessionToken: 'tok-123',
      },
    }).credentials;
    expect(keys && 'secretAccessKey' in keys && keys.secretAccessKey).toBeInstanceOf(Secret);
  });

  it('keeps secrets out of the printed and serialized config, and out of config errors', () => {
    const parsed = awsConfigSchema.parse({
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'very-secret-value',
        sessionToken: 'session-tok',
      },
    });
    const printed = JSON.stringify(parsed) + String(parsed.credentials && Object.values(parsed.credentials));
    for (const secret of ['very-secret-value', 'session-tok', 'AKIAIOSFODNN7EXAMPLE'])
      expect(printed).not.toContain(secret);
    try {
      brokerWith({
        region: 'nowhere',
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'very-secret-value' },
      });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain('very-secret-value');
    }
  });
});
