import type { MemoryCloud } from '@hybrid-broker/core';
import type { OutOfBandFixtures } from './out-of-band.js';

/** The watch cases' out-of-band changes, made on the memory cloud itself, not through a driver. */
export function memoryOutOfBand(cloud: MemoryCloud): OutOfBandFixtures {
  return {
    attach: async (serverId, volumeId) => {
      cloud.attach(serverId, volumeId, undefined, false);
    },
    detach: async (serverId, volumeId) => cloud.detach(volumeId, serverId, false),
    deleteVolume: async (volumeId) => {
      cloud.deleteVolume(volumeId);
    },
    deleteServer: async (serverId) => {
      cloud.deleteServer(serverId);
    },
    stopServer: async (serverId) => cloud.changePower(serverId, 'stopServer'),
    failServer: 'the memory cloud fails a server only at its build (failNextBuild), never a built one',
  };
}
