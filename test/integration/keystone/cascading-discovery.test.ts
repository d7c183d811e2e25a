// The cascading driver's discovery against a REAL Keystone seeded as a cascading deployment:
// every region listed with what it offers and lacks, on one token for the whole run.
import { isBrokerError, MemoryEventSink } from '@hybrid-broker/core';
import { createCascadingDriver } from '@hybrid-broker/driver-cascading';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeystoneInfo, settledTokenCount } from './keystone-harness.js';

const ks: KeystoneInfo = inject('keystone');
const { seed } = ks;

describe('cascading discovery against a real Keystone', () => {
  let tokensBefore = 0;
  beforeAll(async () => {
    tokensBefore = await settledTokenCount(ks);
  });

  it('lists every region with the services it offers and what it lacks, on one token', async () => {
    const events = new MemoryEventSink();
    const cascade = await createCascadingDriver(
      {
        auth: {
          method: 'password',
          url: ks.url,
          username: seed.user.name,
          userDomainName: seed.domain.name,
          password: seed.user.password,
          projectName: seed.project.name,
          projectDomainId: seed.project.domainId,
        },
        interfaces: ['internal', 'public'],
      },
      { services: { events } },
    );
    const regions = await Promise.all([cascade.listRegions(), cascade.listRegions(), cascade.listRegions()]);
    const byName = new Map(regions[0].map((r) => [r.name, r]));
    for (const [name, types] of Object.entries(seed.regions)) {
      const region = byName.get(name);
      expect(region, `region ${name} is listed`).toBeDefined();
      const offersVolume = types.some((t) => ['volumev3', 'volumev2', 'block-storage', 'volume'].includes(t));
      expect(region?.services.includes('compute')).toBe(types.includes('compute'));
      expect(region?.services.includes('volume')).toBe(offersVolume);
      expect(region?.missing.includes('volume')).toBe(!offersVolume);
    }
    // The bootstrap region holds only Keystone itself: listed as lacking both.
    expect(byName.get(seed.bootstrapRegion)?.missing).toEqual(expect.arrayContaining(['compute', 'volume']));

    const lacking = Object.entries(seed.regions).find(
      ([, t]) => t.includes('compute') && !t.some((x) => /volume|block-storage/.test(x)),
    )?.[0] as string;
    const error = await cascade
      .region(lacking)
      .getVolume({ volumeId: 'a0000000-0000-4000-8000-000000000001' })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as Error).message).toContain(lacking);
    expect((error as Error).message).toMatch(/volume/);

    expect((await settledTokenCount(ks)) - tokensBefore).toBe(1);
    expect(JSON.stringify(events.events)).not.toContain(seed.user.password);
    await cascade.close?.();
  });

  it('works with an application credential as well', async () => {
    const cascade = await createCascadingDriver({
      auth: {
        method: 'application-credential',
        url: ks.url,
        applicationCredentialId: seed.applicationCredential.id,
        applicationCredentialSecret: seed.applicationCredential.secret,
      },
    });
    const names = (await cascade.listRegions()).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(seed.regions)));
    await cascade.close?.();
  });
});
