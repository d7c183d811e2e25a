import { createDriver, MemoryEventSink, type PlatformDriver } from '@hybrid-broker/core';
import { awsDriver } from '../../src/index.js';

/** The secret the tests' config holds; no error or event may show it. */
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
/** The access key id of the tests' config. */
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

/** Fast waits: polls 1-5 ms apart. */
export const FAST = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 3_000 };

/** An AWS driver wrapped as a broker wraps it, with explicit keys, instant SDK retries and an event sink. */
export function testDriver(overrides: Record<string, unknown> = {}): {
  driver: PlatformDriver;
  events: MemoryEventSink;
} {
  const events = new MemoryEventSink();
  const driver = createDriver(
    awsDriver,
    {
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY },
      maxAttempts: 3,
      retryBaseDelayMs: 0,
      ...overrides,
    },
    { services: { events } },
  );
  return { driver, events };
}
