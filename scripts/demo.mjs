// The arbitrator's day on every platform, against the built-in emulators
// (cloud-sim: a cascading OpenStack of three regions, EC2 and Azure ARM on
// loopback): on each, the arbitrator's move of a volume from the public client
// to the gateway agent, HA's recovery of a stopped SG server (stop, then start), and an anti-affine pair of gateways. Prints each step with its duration and the HTTP requests it took;
// exits non-zero on any failure. With --trace, each platform's flow is also
// traced through @hybrid-broker/otel and printed as its span tree.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { passwordAuthOf, startArmSim, startCloudSim, startEc2Sim } from '@hybrid-broker/cloud-sim';
import { createBroker, MemoryEventSink, teeEventSink } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { startTracing } from './demo-trace.mjs';

const started = performance.now();
const REGIONS = ['az1.dc1', 'az2.dc1', 'az3.dc1'];
const openstack = await startCloudSim({
  regions: REGIONS.map((name) => ({ name })),
  delays: { serverBuildMs: 60, attachMs: 30, detachMs: 30, serverDeleteMs: 30, serverPowerMs: 30 },
});
const ec2 = await startEc2Sim({
  timings: { launchMs: 60, attachMs: 30, detachMs: 30, terminateMs: 30, powerMs: 30 },
});
const arm = await startArmSim({ timings: { provisionMs: 60, updateMs: 30, deleteMs: 30, powerMs: 30 } });
const RG = 'sg-rg';
const subnet = `/subscriptions/${arm.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;
const fakeAzureCredential = {
  getToken: async () => ({ token: 'demo', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const wait = { initialDelayMs: 20, maxDelayMs: 200, timeoutMs: 20_000 };

const events = new MemoryEventSink();
const tracing = process.argv.includes('--trace') ? await startTracing() : undefined;
const services = tracing
  ? { events: teeEventSink(events, tracing.telemetry.events), callScope: tracing.telemetry.callScope }
  : { events };
const broker = createBroker(
  {
    defaults: { wait },
    platforms: {
      cascade: {
        driver: 'cascading',
        auth: passwordAuthOf(openstack.credentials),
      },
      aws: {
        driver: 'aws',
        region: 'us-east-1',
        endpoint: ec2.url,
        credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-secret-key' },
      },
      azure: {
        driver: 'azure',
        subscriptionId: arm.subscriptionId,
        resourceGroup: RG,
        location: 'westeurope',
        endpoint: arm.url,
        credentials: { type: 'token-credential', credential: fakeAzureCredential },
        pollIntervalMs: 0,
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIdemokey sg@demo',
        defaultSubnetId: subnet,
      },
    },
  },
  { drivers: [cascadingDriver, awsDriver, azureDriver], services },
);

/** Each platform: its image and flavor, and an original volume made in its cloud. */
const platforms = [
  {
    name: 'cascade',
    image: 'cirros-0.6.2-x86_64-disk',
    flavor: 'm1.small',
    volume: () =>
      openstack.openstack.createVolume({ region: 'az2.dc1', availabilityZone: 'az2.dc1', name: 'original' })
        .id,
    hostOf: (server) => `hostId ${(server.hostId ?? '?').slice(0, 12)}`,
  },
  {
    name: 'aws',
    image: 'ami-0abcdef1234567890',
    flavor: 't3.micro',
    volume: () => ec2.cloud.createVolume('us-east-1b', 8).record.id,
    // EC2 shows no host outside Dedicated Hosts: the emulator says which rack it used.
    hostOf: (server) => ec2.cloud.instances.get(server.id)?.rack ?? '?',
  },
  {
    name: 'azure',
    image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
    flavor: 'Standard_B2s',
    volume: () => arm.cloud.addDisk({ resourceGroup: RG, zone: '2', name: 'original' }),
    hostOf: (server) => (server.hostId ?? '?').split('/').slice(-2).join(' '),
  },
];

async function step(label, fn) {
  events.clear();
  const t0 = performance.now();
  const result = await fn();
  const requests = events.ofType('request').length;
  console.log(
    `  ${label.padEnd(40)} ${(performance.now() - t0).toFixed(0).padStart(5)} ms  ${String(requests).padStart(3)} requests`,
  );
  return result;
}

let failed = false;
try {
  const regions = await step('cascade: discover regions', () => broker.platform('cascade').listRegions());
  console.log(`    ${regions.map((r) => `${r.name} [${r.services.join(', ')}]`).join('  ')}`);
  for (const p of platforms) {
    const cloud = broker.platform(p.name);
    console.log(`platform ${p.name}`);
    const volume = await step('read the original volume', () => cloud.getVolume({ volumeId: p.volume() }));
    console.log(`    ${volume.id} ${volume.status} in ${volume.availabilityZone}`);
    const inZone = (name, role) => ({
      name,
      image: p.image,
      flavor: p.flavor,
      availabilityZone: volume.availabilityZone,
      metadata: { role },
    });
    const [client, agent] = await step('create public client + gateway agent', () =>
      Promise.all([
        cloud.createServer(inZone(`sg-client-${p.name}`, 'sg-client'), {
          idempotencyKey: `demo-sg-client-${p.name}`,
        }),
        cloud.createServer(inZone(`sg-agent-${p.name}`, 'sg-agent'), {
          idempotencyKey: `demo-sg-agent-${p.name}`,
        }),
      ]),
    );
    const ips = client.addresses.map((a) => a.address).join(', ') || 'no address';
    console.log(`    client ${client.id} ${client.status} (${client.providerStatus}) at ${ips}`);
    const attachment = await step('attach the volume to the public client', () =>
      cloud.attachVolume({ serverId: client.id, volumeId: volume.id }),
    );
    console.log(`    device ${attachment.device}`);
    const moved = await step('move it: public client -> gateway agent', () =>
      cloud.moveVolume({ volumeId: volume.id, fromServerId: client.id, toServerId: agent.id }),
    );
    console.log(
      `    on ${moved.attachment.serverId === agent.id ? 'the agent' : '?'} as ${moved.attachment.device}`,
    );
    const detached = await step('detach it', () =>
      cloud.detachVolume({ serverId: agent.id, volumeId: volume.id }),
    );
    console.log(`    volume ${detached.volume.status}`);
    // HA's recovery of an SG server: found stopped, it is started again.
    const power = (s) => `${s.powerState} (${s.providerPowerState})`;
    const stopped = await step('recovery: stop the gateway agent', () =>
      cloud.stopServer({ serverId: agent.id }),
    );
    console.log(`    agent ${power(stopped)}`);
    const recovered = await step('recovery: start it again', () => cloud.startServer({ serverId: agent.id }));
    console.log(`    agent ${power(recovered)}`);
    // An anti-affine pair: Nova server group, EC2 spread placement group, Azure availability set.
    const group = `sg-gateway-${p.name}`;
    const member = (n) => ({
      name: `${group}-${n}`,
      image: p.image,
      flavor: p.flavor,
      // an availability set is regional: Azure members take no zone
      ...(p.name === 'azure' ? {} : { availabilityZone: volume.availabilityZone }),
      antiAffinityGroup: group,
    });
    const pair = [];
    for (const n of [1, 2]) {
      pair.push(
        await step(`anti-affine gateway ${n} of ${p.name} pair`, () => cloud.createServer(member(n))),
      );
    }
    const hosts = pair.map((s) => p.hostOf(s));
    console.log(`    group ${group} on ${hosts.join(' | ')}: ${hosts[0] !== hosts[1] ? 'apart' : 'SHARED'}`);
    if (hosts[0] === hosts[1]) throw new Error('the anti-affine pair shares a host');
    await step('delete the four servers', () =>
      Promise.all([client, agent, ...pair].map((s) => cloud.deleteServer({ serverId: s.id }))),
    );
    if (tracing) console.log(`  span tree of the ${p.name} flow:\n${tracing.tree('    ')}`);
  }
} catch (error) {
  failed = true;
  console.error(`demo failed: ${error.code ?? 'error'}: ${error.message}`);
} finally {
  await broker.close();
  await Promise.all([openstack.stop(), ec2.stop(), arm.stop()]);
  await tracing?.stop();
}
console.log(failed ? 'demo FAILED' : `demo passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
