import { createBroker, isBrokerError } from '@hybrid-broker/core';

const broker = createBroker({
  platforms: {
    lab: { driver: 'memory', volumes: [{ id: 'vol-original', availabilityZone: 'az-1' }] },
  },
});
const cloud = broker.platform('lab');

const volume = await cloud.getVolume({ volumeId: 'vol-original' });
const server = await cloud.createServer(
  { name: 'sg-client-1', image: 'cirros', flavor: 'm1.small', availabilityZone: volume.availabilityZone },
  { idempotencyKey: 'sg-client-1' }, // a retried create returns the same server
);
try {
  const attachment = await cloud.attachVolume({ serverId: server.id, volumeId: volume.id }); // waits until in-use
  console.log('device', attachment.device);
  await cloud.detachVolume({ serverId: server.id, volumeId: volume.id }); // waits until available
} catch (error) {
  if (isBrokerError(error, 'invalid-request')) console.error('fix the request:', error.field, error.message);
  else if (isBrokerError(error, 'timeout')) console.error('still', error.lastState);
  else throw error;
} finally {
  await cloud.deleteServer({ serverId: server.id });
  await broker.close(); // ends what still runs and lets the process exit
}
