import type { ServerPowerState } from '@hybrid-broker/core';

/** An EC2 instance state as a normalized power state (`shutting-down` is a stop on its way to terminated). */
export const EC2_POWER_STATE: Readonly<Record<string, ServerPowerState>> = {
  pending: 'starting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'stopping',
  terminated: 'stopped',
};
