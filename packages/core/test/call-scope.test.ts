import { describe, expect, it } from 'vitest';
import { currentCall, runInCall } from '../src/driver-kit.js';
import { type CallFrame, type CallScope, createBroker } from '../src/index.js';

describe('call frames and the callScope service', () => {
  it('runs every operation inside the registered scope, with the frame naming it', async () => {
    const seen: { operation: string; platform: string; driver: string }[] = [];
    const callScope: CallScope = {
      run(call, body) {
        return body().then((result) => {
          seen.push(pick(call));
          return result;
        });
      },
    };
    const broker = createBroker(
      { platforms: { lab: { driver: 'memory', volumes: [{ id: 'vol-1', availabilityZone: 'az-1' }] } } },
      { services: { callScope } },
    );
    const lab = broker.platform('lab');
    await lab.getVolume({ volumeId: 'vol-1' });
    await expect(lab.getServer({ serverId: 'missing' })).rejects.toMatchObject({ code: 'not-found' });
    expect(seen.map((s) => `${s.platform} ${s.driver} ${s.operation}`)).toEqual(['lab memory getVolume']);
    await broker.close();
  });

  it('the scope sees the error the caller gets, a cleaned BrokerError', async () => {
    const errors: unknown[] = [];
    const callScope: CallScope = {
      run: (_call, body) =>
        body().catch((error: unknown) => {
          errors.push(error);
          throw error;
        }),
    };
    const broker = createBroker({ platforms: { lab: { driver: 'memory' } } }, { services: { callScope } });
    const caught = await broker
      .platform('lab')
      .getServer({ serverId: 'missing' })
      .catch((e: unknown) => e);
    expect(errors).toEqual([caught]);
    expect(caught).toMatchObject({ code: 'not-found', platform: 'lab', operation: 'getServer' });
  });

  it('gives each operation one req-<uuid> global request id, kept by calls nested in it', async () => {
    const start = { platform: 'p', driver: 'd', operation: 'op', request: undefined };
    const ids = await runInCall(start, undefined, async () => {
      const outer = currentCall()?.globalRequestId;
      const inner = await runInCall(
        { ...start, operation: 'inner' },
        undefined,
        async () => currentCall()?.globalRequestId,
      );
      return { outer, inner };
    });
    expect(ids.outer).toMatch(/^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.inner).toBe(ids.outer);
    const other = await runInCall(start, undefined, async () => currentCall()?.globalRequestId);
    expect(other).not.toBe(ids.outer);
    expect(currentCall()).toBeUndefined();
  });
});

function pick(call: CallFrame) {
  return { operation: call.operation, platform: call.platform, driver: call.driver };
}
