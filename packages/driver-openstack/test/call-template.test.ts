import { describe, expect, it } from 'vitest';
import { callTemplate } from '../src/http/call-template.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const UUID = 'd1115275-3029-47af-a2da-63cebdd33605';

describe('callTemplate names an OpenStack request by method and path template', () => {
  it('cuts the endpoint base (prefix, version, project id) and turns ids into {id}', () => {
    expect(
      callTemplate(
        'POST',
        `http://127.0.0.1:5000/compute/RegionOne/v2.1/${PROJECT}/servers/${UUID}/os-volume_attachments`,
      ),
    ).toBe('POST /servers/{id}/os-volume_attachments');
    expect(
      callTemplate('DELETE', `https://nova.example:8774/v2.1/servers/${UUID}/os-volume_attachments/${UUID}`),
    ).toBe('DELETE /servers/{id}/os-volume_attachments/{id}');
    expect(callTemplate('GET', `http://cinder:8776/v3/${PROJECT}/volumes/${UUID}?all_tenants=1`)).toBe(
      'GET /volumes/{id}',
    );
    expect(callTemplate('POST', `http://cinder:8776/v3/${PROJECT}/volumes/${UUID}/action`)).toBe(
      'POST /volumes/{id}/action',
    );
  });

  it('keeps the literals that stand where an id could (detail, Keystone auth/tokens)', () => {
    expect(callTemplate('GET', `http://nova/v2.1/servers/detail?name=sg`)).toBe('GET /servers/detail');
    expect(callTemplate('POST', 'http://keystone/identity/v3/auth/tokens')).toBe('POST /auth/tokens');
    expect(callTemplate('GET', 'http://glance:9292/v2/images?name=cirros')).toBe('GET /images');
  });

  it('names a flavor by {id} too, whatever its id looks like', () => {
    expect(callTemplate('GET', 'http://nova/v2.1/flavors/m1.small')).toBe('GET /flavors/{id}');
  });
});
