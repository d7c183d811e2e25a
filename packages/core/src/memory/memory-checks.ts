import { BrokerError } from '../errors.js';
import type { Server, Volume } from '../types.js';
import { isErrorStatus, verdict, type WaitVerdict } from '../waiter.js';
import { invalid, invalidState } from './memory-records.js';

/** Refuses an attach the way a real cloud would: zone, server state, double attach, volume state. */
export function checkAttachable(server: Server, volume: Volume): void {
  if (server.availabilityZone !== volume.availabilityZone) {
    throw invalid(
      'volumeId',
      `volume ${volume.id} is in availability zone ${volume.availabilityZone} but server ${server.id} is in ${server.availabilityZone}; an attach must stay within one zone`,
    );
  }
  if (server.status !== 'running') {
    throw invalidState(`server ${server.id} is ${server.providerStatus}, not ACTIVE`, server);
  }
  if (volume.attachments.some((a) => a.serverId === server.id)) {
    throw new BrokerError('conflict', `volume ${volume.id} is already attached to server ${server.id}`, {
      providerCode: 'conflictingRequest',
      statusCode: 409,
    });
  }
  if (volume.status !== 'available' && !(volume.multiAttach && volume.status === 'in-use')) {
    throw invalidState(`volume ${volume.id} is ${volume.status}; it must be available`, volume);
  }
}

/** Done when the volume is in-use with an attached attachment to `serverId`; an error status fails. */
export function attachedTo(serverId: string): (v: Volume) => WaitVerdict {
  return (v) => {
    if (isErrorStatus(v.status)) return verdict.failed(`volume ${v.id} went to ${v.status}`);
    const attached = v.attachments.some((a) => a.serverId === serverId && a.state === 'attached');
    return v.status === 'in-use' && attached ? verdict.done : verdict.pending;
  };
}

/** Done when `serverId` is gone from the attachments and the volume settled; an error status fails. */
export function detachedFrom(serverId: string): (v: Volume) => WaitVerdict {
  return (v) => {
    if (isErrorStatus(v.status)) return verdict.failed(`volume ${v.id} went to ${v.status}`);
    const gone = !v.attachments.some((a) => a.serverId === serverId);
    return gone && (v.status === 'available' || v.status === 'in-use') ? verdict.done : verdict.pending;
  };
}
