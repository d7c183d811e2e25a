import { randomUUID } from 'node:crypto';
import type { FakeServer } from './fake-cloud.js';
import { faultView } from './fake-views.js';

type Reply = [number, unknown, Record<string, string>];
const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}` });

/** How long a fake start, stop or reboot takes, in ms. */
export const FAKE_POWER_MS = 4;

/** A fake power change: the status and task shown until `doneAt`, and the status after it. */
export interface FakePower {
  readonly during: string;
  readonly task: string;
  readonly to: 'ACTIVE' | 'SHUTOFF';
  readonly doneAt: number;
}

/** The status and task of a built server at `now`, after its last power change. */
export function fakePowerStatus(server: FakeServer, now: number): { status: string; task: string | null } {
  const power = server.power;
  if (power === undefined) return { status: 'ACTIVE', task: null };
  return now < power.doneAt ? { status: power.during, task: power.task } : { status: power.to, task: null };
}

/**
 * `POST /servers/{id}/action` with `os-start`, `os-stop` or `reboot`, checked as Nova
 * checks them (409 "Cannot '<action>' instance ... while it is in task_state|vm_state ...").
 */
export function fakePowerAction(server: FakeServer, status: string, body: unknown): Reply {
  const now = Date.now();
  const { task } = fakePowerStatus(server, now);
  const key = body && typeof body === 'object' ? Object.keys(body)[0] : undefined;
  const conflict = (action: string, what: string): Reply => [
    409,
    faultView('conflictingRequest', 409, `Cannot '${action}' instance ${server.id} while it is in ${what}`),
    reqId(),
  ];
  if (task !== null) return conflict(key ?? 'action', `task_state ${task}`);
  const vmState = status === 'SHUTOFF' ? 'stopped' : status === 'ACTIVE' ? 'active' : status.toLowerCase();
  const doneAt = now + FAKE_POWER_MS;
  if (key === 'os-stop') {
    if (status !== 'ACTIVE') return conflict('stop', `vm_state ${vmState}`);
    server.power = { during: 'ACTIVE', task: 'powering-off', to: 'SHUTOFF', doneAt };
  } else if (key === 'os-start') {
    if (status !== 'SHUTOFF') return conflict('start', `vm_state ${vmState}`);
    server.power = { during: 'SHUTOFF', task: 'powering-on', to: 'ACTIVE', doneAt };
  } else if (key === 'reboot') {
    const hard = (body as { reboot?: { type?: string } }).reboot?.type === 'HARD';
    if (status !== 'ACTIVE') return conflict('reboot', `vm_state ${vmState}`);
    server.power = hard
      ? { during: 'HARD_REBOOT', task: 'rebooting_hard', to: 'ACTIVE', doneAt }
      : { during: 'REBOOT', task: 'rebooting', to: 'ACTIVE', doneAt };
  } else {
    return [400, faultView('badRequest', 400, `There is no such action: ${key}`), reqId()];
  }
  return [202, '', reqId()];
}
