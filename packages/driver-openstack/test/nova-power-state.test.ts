import { describe, expect, it } from 'vitest';
import type { NovaServer } from '../src/nova/nova-schemas.js';
import { novaPowerOf, novaTaskOf } from '../src/operations/nova-power-state.js';

const nova = (over: Record<string, unknown>): NovaServer =>
  ({ id: 's1', name: 's1', status: 'ACTIVE', ...over }) as NovaServer;

describe('Nova power state', () => {
  it('reads the task while one runs, else the vm_state, and normalizes both', () => {
    const stopping = nova({ 'OS-EXT-STS:task_state': 'powering-off', 'OS-EXT-STS:vm_state': 'active' });
    expect(novaPowerOf(stopping)).toEqual({ powerState: 'stopping', providerPowerState: 'powering-off' });
    expect(novaTaskOf(novaPowerOf(stopping))).toBe('powering-off');
    const rebooting = nova({ status: 'HARD_REBOOT', 'OS-EXT-STS:task_state': 'rebooting_hard' });
    expect(novaPowerOf(rebooting).powerState).toBe('rebooting');
    const stopped = nova({
      status: 'SHUTOFF',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:vm_state': 'stopped',
    });
    expect(novaPowerOf(stopped)).toEqual({ powerState: 'stopped', providerPowerState: 'stopped' });
    expect(novaTaskOf(novaPowerOf(stopped))).toBeUndefined();
    expect(novaPowerOf(nova({ status: 'PAUSED', 'OS-EXT-STS:vm_state': 'paused' })).powerState).toBe(
      'unknown',
    );
  });

  it('without the OS-EXT-STS fields (a policy hiding them) takes the vm_state the status stands for: no task', () => {
    for (const [status, powerState] of [
      ['ACTIVE', 'running'],
      ['SHUTOFF', 'stopped'],
      ['REBOOT', 'rebooting'],
    ] as const) {
      const power = novaPowerOf(nova({ status }));
      expect(power.powerState).toBe(powerState);
      expect(novaTaskOf(power), status).toBeUndefined();
    }
  });
});
