import { type BrokerServices, createDriver, MemoryEventSink, type PlatformDriver } from '@hybrid-broker/core';
import type { ContractTarget } from '@hybrid-broker/testkit';
import { openstackDriver } from '../../src/index.js';
import { FAKE, FakeCloud } from './fake-cloud.js';
import { installFakeCloud, type QueuedReply } from './fake-nock.js';

/** The driver config that points at the fake cloud (password auth by names, as openrc has it). */
export function fakeConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auth: {
      method: 'password',
      url: FAKE.keystone,
      username: 'demo',
      userDomainName: 'Default',
      password: FAKE.password,
      projectName: 'demo',
      projectDomainName: 'Default',
    },
    region: 'RegionOne',
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  };
}

/** A driver over a fresh fake cloud served by nock, with its events kept. */
export interface FakeTarget extends ContractTarget {
  readonly cloud: FakeCloud;
  readonly events: MemoryEventSink;
  readonly queue: QueuedReply[];
  readonly driver: PlatformDriver;
}

/** Builds a FakeTarget; nock must already refuse the network (the caller's beforeAll). */
export function fakeTarget(
  options: { pageSize?: number; config?: Record<string, unknown>; services?: Partial<BrokerServices> } = {},
): FakeTarget {
  const cloud = new FakeCloud();
  const queue: QueuedReply[] = [];
  installFakeCloud(cloud, { queue, ...(options.pageSize ? { pageSize: options.pageSize } : {}) });
  const events = new MemoryEventSink();
  const driver = createDriver(openstackDriver, fakeConfig(options.config), {
    services: { events, ...options.services },
  });
  return {
    cloud,
    events,
    queue,
    driver,
    // a second broker process on the same cloud: its own token, caches and per-server locks
    secondDriver: createDriver(openstackDriver, fakeConfig(options.config), {
      services: { events: new MemoryEventSink() },
    }),
    fixtures: {
      image: FAKE.images[0].name,
      flavor: 'm1.small',
      availabilityZone: 'az-1',
      otherAvailabilityZone: 'az-2',
      createVolume: async (zone) => cloud.addVolume(zone).id,
      allowForceDetach: async (allowed) => {
        cloud.forceDetachForbidden = !allowed;
      },
      setVolumeStatus: async (volumeId, status) => {
        const volume = cloud.volumes.get(volumeId);
        if (volume) volume.forced = status === 'error' ? 'error' : 'detaching';
      },
      failNextBuild: async () => {
        cloud.nextBuildFault = 'No valid host was found. There are not enough hosts available.';
      },
      antiAffinity: {
        capacity: cloud.hosts,
        countGroups: async (name) => cloud.groups.filter((g) => g.name === name).length,
      },
    },
  };
}
