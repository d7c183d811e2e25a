import { describe, expect, it, vi } from 'vitest';

// Counts loads of the SDK module: the factory runs only when something imports it.
const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('@aws-sdk/client-ec2', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

describe('lazy SDK', () => {
  it('importing the package and building a broker does not load @aws-sdk/client-ec2; the first call does', async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { awsDriver } = await import('../src/index.js');
    const { createBroker } = await import('@hybrid-broker/core');
    const broker = createBroker(
      {
        platforms: {
          cloud: {
            driver: 'aws',
            region: 'us-east-1',
            endpoint: 'http://127.0.0.1:9',
            maxAttempts: 1,
            credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          },
        },
      },
      { drivers: [awsDriver] },
    );
    expect(loads.count).toBe(0);
    await broker
      .platform('cloud')
      .getVolume({ volumeId: 'vol-0123456789abcdef0' })
      .catch(() => undefined);
    expect(loads.count).toBe(1);
    await broker.close();
  });
});
