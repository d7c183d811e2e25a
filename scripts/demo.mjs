// The arbitrator's flow against the built-in memory cloud; replaced by the
// cloud-sim walk-through over every driver once the emulator exists.
import { createBroker } from '@hybrid-broker/core';

const broker = createBroker({
  platforms: { lab: { driver: 'memory', volumes: [{ id: 'vol-original', availabilityZone: 'az-1' }] } },
});
const lab = broker.platform('lab');
const step = async (name, fn) => {
  const started = performance.now();
  const result = await fn();
  console.log(`  ${name.padEnd(34)} ${(performance.now() - started).toFixed(1).padStart(7)} ms`);
  return result;
};
try {
  console.log('platform lab (memory)');
  const volume = await step('read the original volume', () => lab.getVolume({ volumeId: 'vol-original' }));
  const server = await step('create gateway client in its AZ', () =>
    lab.createServer({
      name: 'sg-client',
      image: 'cirros',
      flavor: 'm1.small',
      availabilityZone: volume.availabilityZone,
    }),
  );
  const attachment = await step('attach the original volume', () =>
    lab.attachVolume({ serverId: server.id, volumeId: volume.id }),
  );
  console.log(`    device ${attachment.device}`);
  await step('detach it', () => lab.detachVolume({ serverId: server.id, volumeId: volume.id }));
  await step('delete the gateway client', () => lab.deleteServer({ serverId: server.id }));
  console.log('demo passed');
} catch (error) {
  console.error(`demo failed: ${error.code ?? 'error'}: ${error.message}`);
  process.exitCode = 1;
}
