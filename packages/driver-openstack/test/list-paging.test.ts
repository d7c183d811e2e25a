import type { Platform } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { FAKE } from './support/fake-cloud.js';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const DETAIL = 'GET /v2.1/servers/detail';

/** A fake Nova with `count` servers, paged two at a time. */
function pagedNova(count: number) {
  const target = fakeTarget({ pageSize: 2 });
  for (let n = 0; n < count; n++) {
    target.cloud.createServer({ name: `s-${n}`, imageRef: FAKE.images[0].id, flavorRef: 'f1' });
  }
  // createDriver returns a Platform; the fake target keeps only its PlatformDriver face.
  return { driver: target.driver as Platform, cloud: target.cloud };
}

describe('OpenStack lists page by Nova marker', () => {
  it('a list with limit 3 of 20 servers sends 2 Nova requests, the full list 10', async () => {
    const { driver, cloud } = pagedNova(20);
    expect(await driver.listServers({}, { limit: 3 })).toHaveLength(3);
    expect(cloud.count(DETAIL)).toBe(2);
    expect(await driver.listServers()).toHaveLength(20);
    expect(cloud.count(DETAIL)).toBe(2 + 10);
  });

  it('the iterator follows the markers and sends no request after the consumer breaks out', async () => {
    const { driver, cloud } = pagedNova(9);
    const ids: string[] = [];
    for await (const server of driver.iterateServers()) ids.push(server.id);
    expect(new Set(ids).size).toBe(9);
    expect(cloud.count(DETAIL)).toBe(5);
    let taken = 0;
    for await (const _ of driver.iterateServers()) if (++taken === 3) break;
    expect(cloud.count(DETAIL)).toBe(5 + 2);
  });
});
