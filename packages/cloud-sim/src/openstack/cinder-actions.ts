import { type SimContext, SimError } from '../service.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { VolumeRecord } from './state.js';

/** The policy rule Cinder names in its 403 for a forced detach. */
const FORCE_DETACH_RULE = 'volume_extension:volume_admin_actions:force_detach';

/**
 * `POST /volumes/{id}/action`: Cinder's volume actions, one per body key. Only
 * `os-force_detach` is emulated (`{"os-force_detach": {"attachment_id"?, "connector"?}}`,
 * 202 with no body); any other action is Cinder's 400 for an unknown one.
 */
export function volumeAction(os: OpenStackSim, ctx: SimContext, volume: VolumeRecord) {
  const body = ctx.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SimError(400, 'Malformed request body');
  }
  const [action, ...rest] = Object.keys(body);
  if (action === undefined || rest.length > 0) throw new SimError(400, 'Malformed request body');
  if (action !== 'os-force_detach') throw new SimError(400, `There is no such action: ${action}`);
  return forceDetach(os, volume, (body as Record<string, unknown>)[action]);
}

function forceDetach(os: OpenStackSim, volume: VolumeRecord, args: unknown) {
  // The policy is checked before the body, as Cinder's handler authorizes first. No user of
  // the simulator holds the admin role, so an admin-only rule refuses every caller.
  if (os.cinder.forceDetachRequiresAdmin) {
    throw new SimError(403, `Policy doesn't allow ${FORCE_DETACH_RULE} to be performed.`);
  }
  // Cinder's schema: an object (or null) with only `attachment_id` and `connector`.
  if (args !== null && (typeof args !== 'object' || Array.isArray(args))) {
    throw new SimError(400, 'Invalid input for field/attribute os-force_detach. Value: not an object.');
  }
  const fields = (args ?? {}) as Record<string, unknown>;
  const extra = Object.keys(fields).find((k) => k !== 'attachment_id' && k !== 'connector');
  if (extra !== undefined) {
    throw new SimError(400, `Additional properties are not allowed ('${extra}' was unexpected)`);
  }
  const attachmentId = fields.attachment_id;
  if (attachmentId !== undefined && attachmentId !== null && typeof attachmentId !== 'string') {
    throw new SimError(400, 'Invalid input for field/attribute attachment_id.');
  }
  const id = typeof attachmentId === 'string' ? attachmentId : undefined;
  if (id !== undefined && !volume.attachments.some((a) => a.id === id)) {
    throw new SimError(404, `VolumeAttachment ${id} could not be found.`);
  }
  os.lifecycle.forceDetach(volume, id);
  return { status: 202 };
}
