import { BrokerError } from './errors.js';
import type { Server, Volume, VolumeAttachment } from './types.js';
import { isErrorStatus, verdict, type WaitVerdict } from './waiter.js';

/*
 * The rules of attaching that hold on every cloud, on normalized types, so
 * each driver checks them the same way before it asks its cloud. They follow
 * the CSI controller contract: publishing what is already published is OK,
 * publishing what another node holds fails fast, unpublishing what is not
 * published is OK.
 */

/** Compares two server ids; ARM ids compare case-insensitively, so Azure passes its own. */
export type SameServer = (a: string, b: string) => boolean;

const exact: SameServer = (a, b) => a === b;

/**
 * What an attach has to do, decided from the server and volume as read now:
 * - `send`: ask the cloud;
 * - `attached`: already attached there, send nothing (the result says `alreadyAttached`);
 * - `attaching`: an attach there is under way (another process sent it): wait for it;
 * - `settle`: the volume is in a transition whose server the cloud does not name
 *   (Cinder lists no attachment while `attaching`): wait until it settles, then decide again.
 */
export type AttachPlan =
  | { readonly action: 'send' }
  | { readonly action: 'attached'; readonly attachment: VolumeAttachment }
  | { readonly action: 'attaching'; readonly attachment: VolumeAttachment }
  | { readonly action: 'settle' };

/**
 * Decides an attach, refusing what the cloud would refuse late or obscurely:
 * volume and server in different availability zones (`invalid-request`
 * naming both), a server neither running nor stopped (`invalid-state`), a
 * volume held by another server without multi-attach (`conflict`, `heldBy`
 * naming the holder), a volume in an error or other unusable state (`invalid-state`).
 */
export function checkAttachable(server: Server, volume: Volume, same: SameServer = exact): AttachPlan {
  const serverZone = server.availabilityZone;
  const volumeZone = volume.availabilityZone;
  if (serverZone !== undefined && volumeZone !== undefined && serverZone !== volumeZone) {
    throw new BrokerError(
      'invalid-request',
      `volume ${volume.id} is in availability zone ${volumeZone} but server ${server.id} is in ${serverZone}; an attach must stay within one zone`,
      { field: 'volumeId', statusCode: 400 },
    );
  }
  const here = volume.attachments.find((a) => same(a.serverId, server.id));
  if (here?.state === 'attached') return { action: 'attached', attachment: here };
  if (here?.state === 'attaching') return { action: 'attaching', attachment: here };
  if (server.status !== 'running' && server.status !== 'stopped') {
    throw new BrokerError(
      'invalid-state',
      `server ${server.id} is ${server.providerStatus}, not running or stopped`,
      {
        lastState: server,
        statusCode: 409,
      },
    );
  }
  if (here !== undefined) return { action: 'settle' }; // detaching from this server: attach once it is gone
  const holder = volume.attachments.find((a) => a.state === 'attached' || a.state === 'attaching');
  if (holder !== undefined && !volume.multiAttach) throw heldElsewhere(volume, holder.serverId, server.id);
  if (volume.attachments.length > 0 && !volume.multiAttach) return { action: 'settle' };
  if (volume.status === 'attaching' || volume.status === 'detaching') return { action: 'settle' };
  if (volume.status !== 'available' && !(volume.multiAttach && volume.status === 'in-use')) {
    throw new BrokerError(
      'invalid-state',
      `volume ${volume.id} is ${volume.providerStatus}; it must be available`,
      {
        lastState: volume,
        statusCode: 409,
      },
    );
  }
  return { action: 'send' };
}

/** The `conflict` of a volume another server holds, naming the holder. */
export function heldElsewhere(volume: Volume, holder: string, wanted: string): BrokerError {
  return new BrokerError(
    'conflict',
    `volume ${volume.id} is attached to server ${holder}, not ${wanted}, and is not multi-attach; detach it there first`,
    { heldBy: holder, statusCode: 409, lastState: volume },
  );
}

/**
 * After the cloud refused an attach (a race another process won), decides
 * from a fresh read what the refusal meant: throws `conflict` naming the
 * holder when the volume is now held elsewhere, returns the plan to follow
 * when it is now attached, attaching or settling here, and `undefined` when
 * the refusal was about something else (the caller rethrows the cloud's error).
 */
export function afterRefusal(
  server: Server,
  volume: Volume,
  same: SameServer = exact,
): AttachPlan | undefined {
  let plan: AttachPlan;
  try {
    plan = checkAttachable(server, volume, same);
  } catch (error) {
    if (error instanceof BrokerError && error.code === 'conflict') throw error;
    return undefined;
  }
  return plan.action === 'send' ? undefined : plan;
}

/** How many times an attach or detach decides again after waiting for a volume to settle. */
export const MAX_SETTLE_ROUNDS = 3;

/** The `invalid-state` of a volume that kept changing while a call waited for it to settle. */
export function neverSettled(volume: Volume, operation: string): BrokerError {
  return new BrokerError(
    'invalid-state',
    `volume ${volume.id} kept changing (${volume.providerStatus}) while ${operation} waited for it to settle`,
    { lastState: volume },
  );
}

/**
 * What a detach has to do: `none` (not attached there, a no-op), `send`,
 * `detaching` (under way: wait for it), or `settle` (an attach there, or one
 * whose server the cloud does not name, is in flight: wait for it to settle,
 * then decide again, so a detach racing an attach still ends detached).
 */
export type DetachPlan = 'none' | 'send' | 'detaching' | 'settle';

/** Decides a detach of `volume` from `serverId`. */
export function planDetach(serverId: string, volume: Volume, same: SameServer = exact): DetachPlan {
  const here = volume.attachments.find((a) => same(a.serverId, serverId));
  if (here === undefined) return volume.status === 'attaching' ? 'settle' : 'none';
  if (here.state === 'attaching') return 'settle';
  if (here.state === 'detaching' || volume.status === 'detaching') return 'detaching';
  return 'send';
}

/** Done when the volume is out of every transition; an error status fails. */
export function volumeSettled(v: Volume): WaitVerdict {
  if (isErrorStatus(v.providerStatus) || v.status === 'error')
    return verdict.failed(`volume ${v.id} went to ${v.providerStatus}`);
  return v.status === 'attaching' ||
    v.status === 'detaching' ||
    v.attachments.some((a) => a.state === 'attaching' || a.state === 'detaching')
    ? verdict.pending
    : verdict.done;
}

/**
 * Done when the volume is in-use with an attached attachment to `serverId`;
 * an error status fails. Also done when a detach that raced this attach has
 * already begun taking the attachment away (`detaching`), or finished doing
 * so after the attach was seen under way: the attach took effect and a later
 * call undid it, so the attach ends, and its result says the state it last saw.
 */
export function attachedTo(serverId: string, same: SameServer = exact): (v: Volume) => WaitVerdict {
  let seen = false;
  return (v) => {
    if (isErrorStatus(v.providerStatus) || v.status === 'error')
      return verdict.failed(`volume ${v.id} went to ${v.providerStatus}`);
    const here = v.attachments.find((a) => same(a.serverId, serverId));
    if (here?.state === 'attached' && v.status !== 'attaching') return verdict.done;
    if (here?.state === 'detaching' || here?.state === 'detached') return verdict.done;
    if (here !== undefined || v.status === 'attaching') {
      seen = true;
      return verdict.pending;
    }
    return seen && v.status === 'available' ? verdict.done : verdict.pending;
  };
}

/** Done when `serverId` is gone from the attachments and the volume settled; an error status fails. */
export function detachedFrom(serverId: string, same: SameServer = exact): (v: Volume) => WaitVerdict {
  return (v) => {
    if (isErrorStatus(v.providerStatus) || v.status === 'error')
      return verdict.failed(`volume ${v.id} went to ${v.providerStatus}`);
    const gone = !v.attachments.some((a) => same(a.serverId, serverId));
    return gone && (v.status === 'available' || v.status === 'in-use') ? verdict.done : verdict.pending;
  };
}
