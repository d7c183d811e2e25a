import {
  BrokerError,
  isBrokerError,
  type Server,
  type Volume,
  type VolumeAttachment,
} from '@hybrid-broker/core';
import { formatRegionId } from './region-id.js';

/**
 * Results of a region's driver, re-keyed for the cascading driver: every id
 * a caller passes back (server, volume, attachment's server and volume) gets
 * its region prefix; `providerId` and `region` keep the cloud's own view.
 */
export const inRegion = {
  server(region: string, server: Server): Server {
    return { ...server, id: formatRegionId(region, server.providerId), region };
  },
  volume(region: string, volume: Volume): Volume {
    return {
      ...volume,
      id: formatRegionId(region, volume.providerId),
      region,
      attachments: volume.attachments.map((a) => inRegion.attachment(region, a)),
    };
  },
  attachment(region: string, attachment: VolumeAttachment): VolumeAttachment {
    return {
      ...attachment,
      serverId: formatRegionId(region, attachment.serverId),
      volumeId: formatRegionId(region, attachment.volumeId),
    };
  },
};

/**
 * Runs a call against one region, so that its failure says which of many
 * clouds it came from: a BrokerError gets a `region "<name>": ` prefix,
 * keeping its code and details.
 */
export async function inRegionCall<T>(region: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isBrokerError(error) || error.message.startsWith(`region "${region}"`)) throw error;
    const details = error.details();
    // the holder of a conflict is named the way this driver names servers
    const heldBy = details.heldBy === undefined ? undefined : formatRegionId(region, details.heldBy);
    const copy = new BrokerError(error.code, `region "${region}": ${error.message}`, {
      ...details,
      ...(heldBy === undefined ? {} : { heldBy }),
    });
    copy.stack = error.stack;
    throw copy;
  }
}
