import { FAKE, type FakeCloud, type FakeServer, type FakeVolume } from './fake-cloud.js';
import { fakePowerStatus } from './fake-power.js';
import { fakeHostId } from './fake-server-groups.js';

// Bodies shaped as the API reference's examples (Keystone v3, Compute 2.1, Block Storage v3, Image v2).

/** The catalog of a token: identity, compute, volumev3 and image in RegionOne. */
export function catalogView() {
  const endpoint = (url: string, iface: string) => ({
    id: `${iface}-${url.length}`,
    interface: iface,
    region: 'RegionOne',
    region_id: 'RegionOne',
    url,
  });
  const service = (type: string, name: string, url: string) => ({
    endpoints: [endpoint(url, 'public'), endpoint(url.replace('.fake', '.internal'), 'internal')],
    id: `${type}-id`,
    type,
    name,
  });
  return [
    service('identity', 'keystone', `${FAKE.keystone}/v3`),
    service('compute', 'nova', `${FAKE.nova}/v2.1`),
    service(
      'volumev3',
      'cinderv3',
      `${FAKE.cinder}/v3/$(project_id)s`.replace('$(project_id)s', FAKE.projectId),
    ),
    service('image', 'glance', FAKE.glance),
  ];
}

/** `POST /v3/auth/tokens` 201 body. */
export function tokenView(cloud: FakeCloud, methods: string[]) {
  const now = Date.now();
  return {
    token: {
      methods,
      user: {
        domain: { id: 'default', name: 'Default' },
        id: FAKE.userId,
        name: 'demo',
        password_expires_at: null,
      },
      audit_ids: ['3T2dc1CGQxyJsHdDu1xkcw'],
      expires_at: new Date(now + cloud.tokenLifetimeMs).toISOString(),
      issued_at: new Date(now).toISOString(),
      project: { domain: { id: 'default', name: 'Default' }, id: FAKE.projectId, name: 'demo' },
      is_domain: false,
      roles: [{ id: '51cc68287d524c759f47c811e6463340', name: 'member' }],
      catalog: catalogView(),
    },
  };
}

/** `GET /servers/{id}` body (microversion 2.1). */
export function serverView(server: FakeServer, status: string) {
  return {
    'OS-DCF:diskConfig': 'AUTO',
    'OS-EXT-AZ:availability_zone': server.zone,
    'OS-EXT-STS:power_state':
      status === 'ACTIVE' || status.endsWith('REBOOT') ? 1 : status === 'SHUTOFF' ? 4 : 0,
    'OS-EXT-STS:task_state':
      server.deletingUntil !== undefined
        ? 'deleting'
        : status === 'BUILD'
          ? 'spawning'
          : fakePowerStatus(server, Date.now()).task,
    'OS-EXT-STS:vm_state':
      status === 'ACTIVE' || status.endsWith('REBOOT')
        ? 'active'
        : status === 'SHUTOFF'
          ? 'stopped'
          : status === 'ERROR'
            ? 'error'
            : 'building',
    'OS-SRV-USG:launched_at': status === 'ACTIVE' ? server.created : null,
    'OS-SRV-USG:terminated_at': null,
    accessIPv4: '',
    accessIPv6: '',
    addresses:
      status === 'ACTIVE'
        ? {
            private: [
              {
                'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:4c:2c:30',
                'OS-EXT-IPS:type': 'fixed',
                addr: '192.168.1.30',
                version: 4,
              },
            ],
          }
        : {},
    config_drive: '',
    created: server.created,
    flavor: {
      id: server.flavorId,
      links: [{ href: `${FAKE.nova}/flavors/${server.flavorId}`, rel: 'bookmark' }],
    },
    hostId: fakeHostId(FAKE.projectId, server.host),
    id: server.id,
    image: {
      id: server.imageId,
      links: [{ href: `${FAKE.nova}/images/${server.imageId}`, rel: 'bookmark' }],
    },
    key_name: null,
    links: [{ href: `${FAKE.nova}/v2.1/servers/${server.id}`, rel: 'self' }],
    metadata: server.metadata,
    name: server.name,
    'os-extended-volumes:volumes_attached': [],
    progress: 0,
    security_groups: [{ name: 'default' }],
    status,
    tenant_id: FAKE.projectId,
    updated: server.created,
    user_id: FAKE.userId,
    ...(status === 'ERROR'
      ? {
          fault: {
            code: 500,
            created: server.created,
            message: server.fault ?? 'unknown',
            details: 'Traceback...',
          },
        }
      : {}),
  };
}

/** `GET /volumes/{id}` body (Block Storage v3). */
export function volumeView(volume: FakeVolume, status: string) {
  return {
    attachments: volume.attachments.map((a) => ({
      server_id: a.serverId,
      attachment_id: a.attachmentId,
      attached_at: '2017-02-10T14:47:18.000000',
      host_name: null,
      volume_id: volume.id,
      device: a.device,
      id: volume.id,
    })),
    availability_zone: volume.zone,
    bootable: 'false',
    consistencygroup_id: null,
    created_at: '2017-02-10T14:46:50.000000',
    description: null,
    encrypted: false,
    id: volume.id,
    links: [{ href: `${FAKE.cinder}/v3/${FAKE.projectId}/volumes/${volume.id}`, rel: 'self' }],
    metadata: { ...volume.metadata },
    migration_status: null,
    multiattach: false,
    name: volume.name,
    'os-vol-tenant-attr:tenant_id': FAKE.projectId,
    replication_status: null,
    size: volume.size,
    snapshot_id: null,
    source_volid: null,
    status,
    updated_at: '2017-02-10T14:47:18.000000',
    user_id: FAKE.userId,
    volume_type: 'lvmdriver-1',
  };
}

/** Nova/Cinder fault body. */
export function faultView(key: string, code: number, message: string) {
  return { [key]: { code, message } };
}

/** keystonemiddleware's 401 body. */
export const UNAUTHORIZED = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};
