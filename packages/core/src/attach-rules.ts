import { BrokerError } from './errors.js';
import type { Server, Volume } from './types.js';
import { isErrorStatus, verdict, type WaitVerdict } from './waiter.js';

/*
 * The rules of attaching that hold on every cloud, on normalized types, so
 * each driver checks them the same way before it asks its cloud.
 */

/**
 * Refuses an attach the cloud would refuse late or obscurely: volume and
 * server in different availability zones (`invalid-request` naming both), a
 * server neither running nor stopped, a volume already attached to the server
 * (`conflict`), a volume not available (unless multi-attach and in use).
 */
export function checkAttachable(server: Server, volume: Volume): void {
  const serverZone = server.availabilityZone;
  const volumeZone = volume.availabilityZone;
  if (serverZone !== undefined && volumeZone !== undefined && serverZone !== volumeZone) {
    throw new BrokerError(
      'invalid-request',
      `volume ${volume.id} is in availability zone ${volumeZone} but server ${server.id} is in ${serverZone}; an attach must stay within one zone`,
      { field: 'volumeId', statusCode: 400 },
    );
  }
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
  if (volume.attachments.some((a) => a.serverId === server.id)) {
    throw new BrokerError('conflict', `volume ${volume.id} is already attached to server ${server.id}`, {
      providerCode: 'conflictingRequest',
      statusCode: 409,
    });
  }
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
}

/** Done when the volume is in-use with an attached attachment to `serverId`; an error status fails. */
export function attachedTo(serverId: string): (v: Volume) => WaitVerdict {
  return (v) => {
    if (isErrorStatus(v.providerStatus) || v.status === 'error')
      return verdict.failed(`volume ${v.id} went to ${v.providerStatus}`);
    const attached = v.attachments.some((a) => a.serverId === serverId && a.state === 'attached');
    return v.status === 'in-use' && attached ? verdict.done : verdict.pending;
  };
}

/** Done when `serverId` is gone from the attachments and the volume settled; an error status fails. */
export function detachedFrom(serverId: string): (v: Volume) => WaitVerdict {
  return (v) => {
    if (isErrorStatus(v.providerStatus) || v.status === 'error')
      return verdict.failed(`volume ${v.id} went to ${v.providerStatus}`);
    const gone = !v.attachments.some((a) => a.serverId === serverId);
    return gone && (v.status === 'available' || v.status === 'in-use') ? verdict.done : verdict.pending;
  };
}
