import { BrokerError, type DetachVolumeRequest, isBrokerError, type Volume } from '@hybrid-broker/core';
import type { ResolvedCallOptions } from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from './cinder-client.js';
import type { NovaClient } from './nova-client.js';

/** What a forced detach needs from the driver. */
export interface ForceDetachParts {
  readonly nova: NovaClient;
  readonly cinder: CinderClient;
}

/**
 * Sends a forced detach of `request.volumeId` from `request.serverId`, whose Cinder state
 * `volume` shows it attached there. The caller then waits until Cinder says it is released.
 *
 * What we chose, and why:
 * - Nova first, when Cinder still says `in-use`: `DELETE os-volume_attachments` asks the
 *   hypervisor to let go of the disk and Nova to drop its block-device mapping. Cinder's
 *   `os-force_detach` alone touches only Cinder's records ("roll back a bad detach after the
 *   volume has been disconnected", as Cinder's own handler says), so a guest that still has the
 *   disk would keep writing to a volume Cinder calls available. Nova's refusals (the server in
 *   a task state, the attachment unknown) do not stop the forced detach: those are the cases
 *   it is for. When Cinder already says `detaching`, Nova took a DELETE before and would only
 *   answer 400, so it is not asked again.
 * - Then Cinder `os-force_detach` with the attachment's id (what openstacksdk's
 *   `Volume.detach(force=True)` sends; cinder-csi-plugin has no forced path and only ever
 *   deletes through Nova). It is admin-only under Cinder's default policy, so a 403 becomes
 *   `forbidden` saying which right is missing.
 * - The wait is on Cinder alone: a hung compute host may never confirm to Nova, and waiting
 *   for Nova's mapping to go is what a plain detach already does. Nova may list the
 *   attachment until the host answers, and refuse a new attach of the volume to that same
 *   server until then; an attach elsewhere is not held up.
 */
export async function sendForcedDetach(
  parts: ForceDetachParts,
  request: DetachVolumeRequest,
  volume: Volume,
  call: ResolvedCallOptions,
): Promise<void> {
  if (volume.providerStatus === 'in-use') {
    try {
      await parts.nova.detachVolume(request.serverId, request.volumeId, call.signal);
    } catch (error) {
      if (!isBrokerError(error, 'not-found', 'conflict', 'invalid-state', 'invalid-request')) throw error;
    }
  }
  const raw = await parts.cinder.getVolume(request.volumeId, call.signal);
  const ids = raw.attachments
    .filter((a) => a.server_id === request.serverId)
    .map((a) => a.attachment_id ?? a.id);
  for (const attachmentId of ids) {
    try {
      await parts.cinder.forceDetach(request.volumeId, attachmentId, call.signal);
    } catch (error) {
      if (isBrokerError(error, 'forbidden')) throw forceForbidden(error, request.volumeId);
      // Gone between the read and the action (another caller, or Nova finishing): done already.
      if (isBrokerError(error, 'not-found')) continue;
      throw error;
    }
  }
}

function forceForbidden(error: BrokerError, volumeId: string): BrokerError {
  return new BrokerError(
    'forbidden',
    `Cinder refused to force the detach of volume ${volumeId}: os-force_detach needs the credentials ` +
      "Cinder's policy volume_extension:volume_admin_actions:force_detach asks for (the admin role by " +
      'default); use admin credentials for this platform, or a plain detach',
    {
      cause: error,
      retryable: false,
      ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    },
  );
}
