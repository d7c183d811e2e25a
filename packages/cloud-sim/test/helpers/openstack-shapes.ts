import { expect } from 'vitest';

// Hand-written shapes of the bodies the OpenStack API references document. `toEqual` with
// `objectContaining` lets extra (microversion-dependent) fields through and checks types.

const str = expect.any(String);
const num = expect.any(Number);
const bool = expect.any(Boolean);
const ISO_Z_MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const ISO_NAIVE_MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const link = expect.objectContaining({ rel: str, href: str });
const domain = expect.objectContaining({ id: str, name: str });

/** Keystone v3 `POST /v3/auth/tokens` response body (project-scoped). */
export const keystoneTokenShape = {
  token: expect.objectContaining({
    methods: expect.arrayContaining([str]),
    user: expect.objectContaining({ id: str, name: str, domain }),
    audit_ids: expect.arrayContaining([str]),
    issued_at: expect.stringMatching(ISO_Z_MICRO),
    expires_at: expect.stringMatching(ISO_Z_MICRO),
    project: expect.objectContaining({ id: str, name: str, domain }),
    is_domain: false,
    roles: expect.arrayContaining([expect.objectContaining({ id: str, name: str })]),
    catalog: expect.arrayContaining([
      expect.objectContaining({
        id: str,
        type: str,
        name: str,
        endpoints: expect.arrayContaining([
          expect.objectContaining({
            id: str,
            interface: expect.stringMatching(/^(public|internal|admin)$/),
            region: str,
            region_id: str,
            url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
          }),
        ]),
      }),
    ]),
  }),
};

/** Nova `GET /servers/{id}` `server` object (2.1 fields). */
export const novaServerShape = expect.objectContaining({
  id: expect.stringMatching(UUID),
  name: str,
  status: str,
  tenant_id: str,
  user_id: str,
  metadata: expect.any(Object),
  hostId: str,
  image: expect.objectContaining({ id: str, links: expect.arrayContaining([link]) }),
  flavor: expect.any(Object),
  created: expect.stringMatching(ISO_Z),
  updated: expect.stringMatching(ISO_Z),
  addresses: expect.any(Object),
  accessIPv4: str,
  accessIPv6: str,
  links: expect.arrayContaining([link]),
  'OS-DCF:diskConfig': str,
  'OS-EXT-AZ:availability_zone': str,
  'OS-EXT-STS:vm_state': str,
  'OS-EXT-STS:power_state': num,
  'os-extended-volumes:volumes_attached': expect.any(Array),
  security_groups: expect.arrayContaining([expect.objectContaining({ name: str })]),
});

/** One address in a server's `addresses` map. */
export const novaAddressShape = expect.objectContaining({
  addr: str,
  version: num,
  'OS-EXT-IPS:type': expect.stringMatching(/^(fixed|floating)$/),
  'OS-EXT-IPS-MAC:mac_addr': str,
});

/** Nova `volumeAttachment` (microversions below 2.89: `id` is the volume id). */
export const novaAttachmentShape = expect.objectContaining({
  id: expect.stringMatching(UUID),
  device: expect.stringMatching(/^\/dev\/[a-z]+$/),
  serverId: expect.stringMatching(UUID),
  volumeId: expect.stringMatching(UUID),
});

/** Cinder v3 `GET /volumes/{id}` `volume` object. */
export const cinderVolumeShape = expect.objectContaining({
  id: expect.stringMatching(UUID),
  name: str,
  status: str,
  size: num,
  availability_zone: str,
  created_at: expect.stringMatching(ISO_NAIVE_MICRO),
  updated_at: expect.stringMatching(ISO_NAIVE_MICRO),
  attachments: expect.any(Array),
  volume_type: str,
  metadata: expect.any(Object),
  links: expect.arrayContaining([link]),
  user_id: str,
  bootable: expect.stringMatching(/^(true|false)$/),
  encrypted: bool,
  multiattach: bool,
});

/** One entry of a Cinder volume's `attachments`. */
export const cinderAttachmentShape = expect.objectContaining({
  id: str,
  attachment_id: expect.stringMatching(UUID),
  volume_id: expect.stringMatching(UUID),
  server_id: expect.stringMatching(UUID),
  host_name: str,
  device: str,
  attached_at: expect.stringMatching(ISO_NAIVE_MICRO),
});

/** Nova/Cinder error body: `{"<faultName>": {"code": n, "message": "..."}}`. */
export function novaErrorShape(name: string, code: number) {
  return { [name]: expect.objectContaining({ code, message: str }) };
}

/** Keystone's 401 body, exactly as documented. */
export const KEYSTONE_401 = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};
