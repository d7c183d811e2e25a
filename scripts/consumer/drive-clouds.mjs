// The consumer's ESM program: the memory, openstack and aws drivers, installed
// from the packed tarballs, each through one server's life against cloud-sim.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { passwordAuthOf, startCloudSim, startEc2Sim } from '@hybrid-broker/cloud-sim';
import { createBroker } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { openstackDriver } from '@hybrid-broker/driver-openstack';

const openstack = await startCloudSim({
  delays: { serverBuildMs: 20, attachMs: 10, detachMs: 10, serverDeleteMs: 10 },
});
const ec2 = await startEc2Sim({ timings: { launchMs: 20, attachMs: 10, detachMs: 10, terminateMs: 10 } });
const wait = { initialDelayMs: 10, maxDelayMs: 100, timeoutMs: 20_000 };
const broker = createBroker(
  {
    defaults: { wait },
    platforms: {
      lab: { driver: 'memory', volumes: [{ id: 'vol-original', availabilityZone: 'az-1' }] },
      os: { driver: 'openstack', auth: passwordAuthOf(openstack.credentials) },
      aws: {
        driver: 'aws',
        region: 'us-east-1',
        endpoint: ec2.url,
        credentials: { accessKeyId: 'AKIDCONSUMER', secretAccessKey: 'consumer-secret' },
      },
    },
  },
  { drivers: [openstackDriver, awsDriver] },
);
const plans = [
  { name: 'lab', image: 'cirros', flavor: 'm1.small', volume: () => 'vol-original' },
  {
    name: 'os',
    image: 'cirros-0.6.2-x86_64-disk',
    flavor: 'm1.small',
    volume: () => openstack.openstack.createVolume({ name: 'original' }).id,
  },
  {
    name: 'aws',
    image: 'ami-0abcdef1234567890',
    flavor: 't3.micro',
    volume: () => ec2.cloud.createVolume('us-east-1a', 8).record.id,
  },
];
try {
  for (const plan of plans) {
    const cloud = broker.platform(plan.name);
    const volume = await cloud.getVolume({ volumeId: plan.volume() });
    const server = await cloud.createServer(
      {
        name: `consumer-${plan.name}`,
        image: plan.image,
        flavor: plan.flavor,
        availabilityZone: volume.availabilityZone,
      },
      { idempotencyKey: `consumer-${plan.name}` },
    );
    const attachment = await cloud.attachVolume({ serverId: server.id, volumeId: volume.id });
    const detached = await cloud.detachVolume({ serverId: server.id, volumeId: volume.id });
    await cloud.deleteServer({ serverId: server.id });
    if (detached.volume.status !== 'available')
      throw new Error(`${plan.name}: volume ${detached.volume.status} after detach`);
    console.log(
      `consumer esm: ${plan.name}: ${server.id} took ${volume.id} as ${attachment.device} and gave it back`,
    );
  }
} finally {
  await broker.close();
  await Promise.all([openstack.stop(), ec2.stop()]);
}
