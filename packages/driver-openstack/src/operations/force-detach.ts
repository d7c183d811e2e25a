import { BrokerError, type DetachVolumeRequest, isBrokerError, type Volume } from '@hybrid-broker/core';
import type { ResolvedCallOptions } from '@hybrid-broker/core/driver-kit';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { NovaClient } from '../nova/nova-client.js';

/**
 * How long a forced detach lets Nova's own detach finish before it forces Cinder's
 * records, at most: a quarter of the wait's timeout, up to 10 s. A healthy host lets go
 * within a few seconds; one that hangs is what the force is for.
 */
export function novaGraceMs(timeoutMs: number): number {
  return Math.min(10_000, Math.floor(timeoutMs / 4));
}

/**
 * Step one of a forced detach, when Cinder still says `in-use`: Nova's own
 * `DELETE os-volume_attachments`, which asks the hypervisor to let go of the disk and Nova
 * to drop its block-device mapping. Cinder's `os-force_detach` alone touches only Cinder's
 * records ("roll back a bad detach after the volume has been disconnected", as Cinder's
 * handler says): a guest that still had the disk would keep writing to a volume Cinder
 * calls available, and a Nova that later finishes its own detach would find Cinder's
 * attachment gone. So Nova is asked first and given a grace to finish (the caller waits);
 * only a detach still not done is forced in Cinder. Returns whether Nova took the DELETE:
 * its refusals (the server in a task state, a 409; the attachment unknown to Nova, a 404)
 * are the cases the force is for, so they do not stop it.
 */
export async function askNovaFirst(
  nova: NovaClient,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<boolean> {
  try {
    await nova.detachVolume(request.serverId, request.volumeId, call.signal);
    return true;
  } catch (error) {
    if (isBrokerError(error, 'not-found', 'conflict', 'invalid-state', 'invalid-request')) return false;
    throw error;
  }
}

/**
 * Step two: Cinder's `os-force_detach` with each attachment id of the volume on the server
 * (the body openstacksdk's `Volume.detach(force=True)` sends; cinder-csi-plugin has no forced
 * path and only ever detaches through Nova). Admin-only under Cinder's default policy, so a
 * 403 becomes `forbidden` saying which right is missing. The caller then waits on Cinder
 * alone: Nova may list the attachment until a hung host answers, and refuse a new attach of
 * the volume to that same server until then; an attach elsewhere is not held up.
 */
export async function forceInCinder(
  cinder: CinderClient,
  request: DetachVolumeRequest,
  call: ResolvedCallOptions,
): Promise<void> {
  const raw = await cinder.getVolume(request.volumeId, call.signal);
  const ids = raw.attachments
    .filter((a) => a.server_id === request.serverId)
    .map((a) => a.attachment_id ?? a.id);
  for (const attachmentId of ids) {
    try {
      await cinder.forceDetach(request.volumeId, attachmentId, call.signal);
    } catch (error) {
      if (isBrokerError(error, 'forbidden')) throw forceForbidden(error, request.volumeId);
      if (novaOwned(error)) throw refusedNovaOwned(error, request);
      // Gone between the read and the action (Nova finishing, or another caller): done already.
      if (!isBrokerError(error, 'not-found')) throw error;
    }
  }
}

/** Whether Cinder still lists `volume` on the server (the state a force acts on). */
export function stillOn(volume: Volume, serverId: string): boolean {
  return volume.attachments.some((a) => a.serverId === serverId);
}

/**
 * Cinder's refusal to touch an attachment Nova made, unless Nova's service token comes with
 * the request: 409 `ConflictNovaUsingAttachment` "Detach volume from instance … using the
 * Compute API" (Cinder's fix for bug 2004555 / OSSN-0092, in 2023.1 and backported; seen on
 * the real Zed stack). The force cannot go through Cinder then; only Nova can detach it.
 */
function novaOwned(error: unknown): error is BrokerError {
  return (
    isBrokerError(error, 'conflict', 'invalid-state') &&
    (error.providerCode === 'ConflictNovaUsingAttachment' ||
      /ConflictNovaUsingAttachment/.test(error.message))
  );
}

function refusedNovaOwned(error: BrokerError, request: DetachVolumeRequest): BrokerError {
  return new BrokerError(
    'invalid-state',
    `Cinder refused to force the detach of volume ${request.volumeId}: the attachment is Nova's, and this ` +
      "Cinder (with the fix for bug 2004555) takes its detach only from Nova's Compute API. Nova was asked " +
      'first where Cinder said in-use; for a detach stuck in detaching, an admin resets the volume ' +
      `(cinder reset-state --state in-use --attach-status attached) and detaches it from server ${request.serverId} again`,
    {
      cause: error,
      retryable: false,
      ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    },
  );
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
