import type { ServerPowerState } from '@hybrid-broker/core';
import type { NovaServer } from '../nova/nova-schemas.js';

// Nova's vm_states: a providerPowerState outside them is a task_state, a task under way.
const VM_STATES = new Set([
  'active',
  'building',
  'paused',
  'suspended',
  'stopped',
  'rescued',
  'resized',
  'soft-delete',
  'deleted',
  'error',
  'shelved',
  'shelved_offloaded',
]);

// The vm_state each status stands for, for a body without OS-EXT-STS fields (a policy hiding them).
const VM_STATE_OF_STATUS: Readonly<Record<string, string>> = {
  ACTIVE: 'active',
  REBOOT: 'active',
  HARD_REBOOT: 'active',
  BUILD: 'building',
  SHUTOFF: 'stopped',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  RESCUE: 'rescued',
  VERIFY_RESIZE: 'resized',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
};

/**
 * A Nova server's power: its `task_state` while a task runs (`powering-off`, `rebooting`...),
 * else its `vm_state` (`active`, `stopped`, or the one its status stands for); and the normalized state.
 * Nova sets the task in the API before it answers a power action, so a read after the 202
 * sees the change under way (or already done): a reboot is observed as REBOOT, then ACTIVE.
 */
export function novaPowerOf(server: NovaServer): {
  powerState: ServerPowerState;
  providerPowerState: string;
} {
  const task = server['OS-EXT-STS:task_state'] ?? undefined;
  const vmState = server['OS-EXT-STS:vm_state'];
  const status = server.status.toUpperCase();
  const providerPowerState =
    task ?? (typeof vmState === 'string' ? vmState : (VM_STATE_OF_STATUS[status] ?? 'unknown'));
  return { powerState: normalized(status, task), providerPowerState };
}

function normalized(status: string, task: string | undefined): ServerPowerState {
  if (task === 'powering-off') return 'stopping';
  if (task === 'powering-on') return 'starting';
  if (task?.startsWith('reboot') || status === 'REBOOT' || status === 'HARD_REBOOT') return 'rebooting';
  if (status === 'BUILD') return 'starting';
  if (status === 'ACTIVE') return 'running';
  if (status === 'SHUTOFF') return 'stopped';
  return 'unknown';
}

/** The task Nova is busy with on a normalized server (its providerPowerState when that is no vm_state). */
export function novaTaskOf(server: { readonly providerPowerState?: string }): string | undefined {
  const state = server.providerPowerState;
  return state === undefined || VM_STATES.has(state) ? undefined : state;
}
