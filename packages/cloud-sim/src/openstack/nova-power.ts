import { SimError } from '../service.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { ServerRecord } from './state.js';

// Nova's task states of a soft reboot still under way, which a hard one may overtake.
const SOFT_REBOOTING = ['rebooting', 'reboot_pending', 'reboot_started'];

/**
 * Nova's power actions (`os-start`, `os-stop`, `reboot`), checked as nova/compute/api.py checks
 * them: a state they may not start from is 409 "Cannot '<action>' instance <id> while it is in
 * vm_state|task_state <state>". The task shows at once; the change lands after serverPowerMs.
 */
export function powerAction(os: OpenStackSim, server: ServerRecord, name: string, body: unknown): void {
  if (name === 'os-stop') {
    allow(server, 'stop', ['active', 'error'], [null]);
    os.lifecycle.power(server, { status: server.status, taskState: 'powering-off' }, 'SHUTOFF');
  } else if (name === 'os-start') {
    allow(server, 'start', ['stopped'], [null]);
    os.lifecycle.power(server, { status: 'SHUTOFF', taskState: 'powering-on' }, 'ACTIVE');
  } else {
    const type = rebootType(body);
    if (type === 'SOFT') {
      allow(server, 'reboot', ['active'], [null]);
      os.lifecycle.power(server, { status: 'REBOOT', taskState: 'rebooting' }, 'ACTIVE');
    } else {
      allow(
        server,
        'reboot',
        ['active', 'stopped', 'paused', 'suspended', 'error'],
        [null, ...SOFT_REBOOTING],
      );
      os.lifecycle.power(server, { status: 'HARD_REBOOT', taskState: 'rebooting_hard' }, 'ACTIVE');
    }
  }
}

function allow(
  server: ServerRecord,
  action: string,
  vmStates: string[],
  taskStates: (string | null)[],
): void {
  if (!taskStates.includes(server.taskState)) {
    throw new SimError(
      409,
      `Cannot '${action}' instance ${server.id} while it is in task_state ${server.taskState}`,
    );
  }
  if (!vmStates.includes(server.vmState)) {
    throw new SimError(
      409,
      `Cannot '${action}' instance ${server.id} while it is in vm_state ${server.vmState}`,
    );
  }
}

/** `reboot.type`, which Nova's schema requires: SOFT or HARD (any case). */
function rebootType(body: unknown): 'SOFT' | 'HARD' {
  const reboot = body && typeof body === 'object' ? (body as Record<string, unknown>).reboot : undefined;
  const type = reboot && typeof reboot === 'object' ? (reboot as Record<string, unknown>).type : undefined;
  const upper = typeof type === 'string' ? type.toUpperCase() : undefined;
  if (upper === 'SOFT' || upper === 'HARD') return upper;
  throw new SimError(
    400,
    `Invalid input for field/attribute type. Value: ${String(type)}. '${String(type)}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`,
  );
}
