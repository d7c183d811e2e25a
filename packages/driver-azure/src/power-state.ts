import type { ServerPowerState } from '@hybrid-broker/core';

const POWER: Readonly<Record<string, ServerPowerState>> = {
  'PowerState/running': 'running',
  'PowerState/starting': 'starting',
  'PowerState/stopping': 'stopping',
  'PowerState/deallocating': 'stopping',
  'PowerState/stopped': 'stopped',
  'PowerState/deallocated': 'stopped',
};

/** The instance view's `PowerState/...` code normalized (a deallocated VM is `stopped`); `unknown` without one. */
export function armPowerOf(power: string | undefined): {
  powerState: ServerPowerState;
  providerPowerState?: string;
} {
  if (power === undefined) return { powerState: 'unknown' };
  return { powerState: POWER[power] ?? 'unknown', providerPowerState: power };
}
