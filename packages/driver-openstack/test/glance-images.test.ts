import { describe, expect, it } from 'vitest';
import { GlanceClient, toImage } from '../src/glance/glance-client.js';
import type { OpenStackHttpClient } from '../src/http/http-client.js';
import type { ServiceEndpoints } from '../src/keystone/service-endpoints.js';

const image = (id: string, status = 'active') => ({
  id,
  name: `img-${id}`,
  status,
  min_disk: 1,
  min_ram: 64,
});

describe('GlanceClient.listImages', () => {
  it('follows next links on the endpoint it reaches Glance at, with the query kept', async () => {
    const urls: string[] = [];
    const pages: Record<string, unknown> = {
      'http://glance.local/v2/images?name=x': { images: [image('a')], next: '/v2/images?name=x&marker=a' },
      'http://glance.local/v2/images?name=x&marker=a': { images: [image('b', 'queued')] },
    };
    const http = {
      send: async (request: { url: string }) => {
        urls.push(request.url);
        return { status: 200, body: pages[request.url], headers: new Headers() };
      },
    } as unknown as OpenStackHttpClient;
    const endpoints = { url: async () => 'http://glance.local' } as unknown as ServiceEndpoints;
    const found = await new GlanceClient(http, endpoints).listImages({ name: 'x' });
    expect(urls).toEqual(Object.keys(pages));
    expect(found.map((i) => toImage(i, 'r1'))).toEqual([
      {
        id: 'a',
        name: 'img-a',
        status: 'available',
        providerStatus: 'active',
        minDiskGiB: 1,
        minRamMiB: 64,
        region: 'r1',
      },
      {
        id: 'b',
        name: 'img-b',
        status: 'pending',
        providerStatus: 'queued',
        minDiskGiB: 1,
        minRamMiB: 64,
        region: 'r1',
      },
    ]);
  });

  it('normalizes a killed image to error and a deactivated one to unavailable', () => {
    expect(toImage(image('k', 'killed'), undefined).status).toBe('error');
    expect(toImage(image('d', 'deactivated'), undefined).status).toBe('unavailable');
  });
});
