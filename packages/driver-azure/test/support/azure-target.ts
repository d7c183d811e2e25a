import { type BrokerServices, createDriver, type PlatformDriver } from '@hybrid-broker/core';
import type { ContractTarget } from '@hybrid-broker/testkit';
import { azureDriver } from '../../src/index.js';
import { FakeArm, type FakeArmOptions, LOCATION, RG, SUB } from './fake-arm.js';
import { fakeArmOutOfBand } from './fake-arm-out-of-band.js';

/** A TokenCredential that hands out a fixed token: simpler than mocking Entra ID. */
export const fakeCredential = {
  getTokenCalls: 0,
  async getToken() {
    fakeCredential.getTokenCalls++;
    return { token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

export const SUBNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/sg-vnet/subnets/default`;

/** The azure platform config the tests use; `extra` overrides fields. */
export function azureConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subscriptionId: SUB,
    resourceGroup: RG,
    location: LOCATION,
    credentials: { type: 'token-credential', credential: fakeCredential },
    pollIntervalMs: 0,
    sshPublicKey: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0test sg@example',
    defaultSubnetId: SUBNET,
    ...extra,
  };
}

/** A wrapped azure driver over a fresh, installed fake ARM. */
export function azureOnFake(
  options: FakeArmOptions = {},
  config: Record<string, unknown> = {},
  services: Partial<BrokerServices> = {},
): { fake: FakeArm; driver: PlatformDriver } {
  const fake = new FakeArm(options);
  fake.install();
  const driver = createDriver(azureDriver, azureConfig(config), { services });
  return { fake, driver };
}

/** The contract target: the driver over the fake, with its fixtures. */
export function azureContractTarget(): ContractTarget {
  // the marketplace offer the fixture image is a version of: listImages and image names need it
  const catalog = { imageSource: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy' } };
  const { fake, driver } = azureOnFake({}, catalog);
  return {
    driver,
    // a second broker process on the same (nock) ARM: its own SDK clients and per-server locks
    secondDriver: createDriver(azureDriver, azureConfig(catalog)),
    fixtures: {
      image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
      flavor: 'Standard_B2s',
      availabilityZone: '1',
      otherAvailabilityZone: '2',
      networks: [SUBNET],
      volumeImageId: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202402140',
      createVolume: async (zone) => fake.addDisk(zone),
      setVolumeStatus: async (volumeId, status) => fake.forceDisk(volumeId, status),
      failNextBuild: async () => fake.failNextBuild(),
      outOfBand: fakeArmOutOfBand(fake),
      antiAffinity: {
        capacity: 2,
        zonal: false,
        countGroups: async (name) =>
          [...fake.availabilitySets.sets.values()].filter((set) => set.name === name).length,
      },
    },
  };
}
