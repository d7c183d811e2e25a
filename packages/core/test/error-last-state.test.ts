import { describe, expect, it } from 'vitest';
import { startCallDeadline, waitFor } from '../src/driver-kit.js';
import { BrokerError } from '../src/index.js';

/*
 * A timeout carries the last state read whenever any read happened, and the
 * error's JSON (the CLI's --json) carries it too, scrubbed (issue 26, defect 4).
 */

const FAST = { initialDelayMs: 1, maxDelayMs: 5, multiplier: 1.5, jitter: 0 };

describe('lastState', () => {
  it('is in toJSON, with secret-named fields redacted', () => {
    const error = new BrokerError('timeout', 'timed out', {
      lastState: { id: 'vol-1', status: 'detaching', adminPass: 'hunter22' },
    });
    const json = JSON.parse(JSON.stringify(error)) as { lastState: Record<string, unknown> };
    expect(json.lastState).toMatchObject({ id: 'vol-1', status: 'detaching' });
    expect(JSON.stringify(json)).not.toContain('hunter22');
  });

  it('is carried by a wait whose deadline passed before its first poll: it reads once first', async () => {
    let probes = 0;
    const error = await waitFor({
      description: 'server s-1 to be running',
      probe: async () => {
        probes++;
        return 'BUILD';
      },
      check: () => ({ done: false }),
      stateOf: (v) => v,
      options: { ...FAST, timeoutMs: 0 },
      probeFirst: false,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', lastState: 'BUILD' });
    expect(probes).toBe(1);
  });

  it("is carried by the call's own deadline when a wait of the call had read", async () => {
    const deadline = startCallDeadline(undefined, 40, 'detachVolume');
    await waitFor({
      description: 'volume v-1 to be detached',
      probe: async () => 'detaching',
      check: () => ({ done: false }),
      stateOf: (v) => v,
      options: { ...FAST, timeoutMs: 10_000 },
      signal: deadline.signal,
    }).catch(() => undefined);
    // what the runtime throws when a driver reports the deadline's abort as `aborted`
    expect(deadline.signal.reason).toMatchObject({ code: 'timeout', lastState: 'detaching' });
    deadline.done();
  });
});
