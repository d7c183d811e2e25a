import { INSTANCE_STATE_CODE, type InstanceStateName } from './ec2-model.js';
import type { AttachmentView, InstanceView, VolumeView, VolumeViews } from './ec2-views.js';

/** The namespace of EC2 API version 2016-11-15, the one every current SDK speaks. */
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** An XML element; children are elements or text. `undefined` children are left out. */
export type Xml = string;

/** Escapes text for element content. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<name>...</name>` with escaped text, or nested elements when given an array. */
export function el(
  name: string,
  content: string | number | boolean | readonly (Xml | undefined)[] | undefined,
): Xml {
  if (content === undefined) return '';
  if (Array.isArray(content)) return `<${name}>${content.filter((c) => c !== undefined).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(content))}</${name}>`;
}

/** An EC2 list: `<name><item>...</item>...</name>`. */
export function items(name: string, list: readonly Xml[][]): Xml {
  return `<${name}>${list.map((parts) => `<item>${parts.join('')}</item>`).join('')}</${name}>`;
}

/** A whole response document with its `requestId`. */
export function response(action: string, requestId: string, body: readonly Xml[]): Xml {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}${body.join('')}</${action}Response>`;
}

/** EC2's error document (note `RequestID`, spelled so only here). */
export function errorDocument(code: string, message: string, requestId: string): Xml {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `instanceState` / `currentState` / `previousState`. */
export function stateXml(name: string, state: InstanceStateName): Xml {
  return el(name, [el('code', INSTANCE_STATE_CODE[state]), el('name', state)]);
}

const tagsXml = (tags: ReadonlyMap<string, string>): Xml =>
  items(
    'tagSet',
    [...tags].map(([key, value]) => [el('key', key), el('value', value)]),
  );

/** One `instancesSet` item as DescribeInstances and RunInstances show it. */
export function instanceXml(cloud: VolumeViews, view: InstanceView): Xml[] {
  const r = view.record;
  const mappings = [...cloud.volumes.values()].flatMap((v) =>
    cloud
      .volume(v.id)
      .attachments.filter((a) => a.record.instanceId === r.id)
      .map((a) => [
        el('deviceName', a.record.device),
        el('ebs', [
          el('volumeId', v.id),
          el('status', a.state),
          el('attachTime', iso(a.record.startedAt)),
          el('deleteOnTermination', false),
        ]),
      ]),
  );
  const live = view.state !== 'terminated';
  return [
    el('instanceId', r.id),
    el('imageId', r.imageId),
    stateXml('instanceState', view.state),
    el('privateDnsName', live ? `ip-${r.privateIp.replaceAll('.', '-')}.ec2.internal` : ''),
    el('reason', view.reason === undefined ? '' : view.reason.message),
    r.keyName === undefined ? undefined : el('keyName', r.keyName),
    el('amiLaunchIndex', 0),
    el('instanceType', r.instanceType),
    el('launchTime', iso(r.launchedAt)),
    el('placement', [
      el('availabilityZone', r.availabilityZone),
      el('groupName', r.placementGroup ?? ''),
      el('tenancy', 'default'),
    ]),
    el('monitoring', [el('state', 'disabled')]),
    live ? el('subnetId', r.subnetId) : undefined,
    live ? el('vpcId', 'vpc-00000001') : undefined,
    live ? el('privateIpAddress', r.privateIp) : undefined,
    items(
      'groupSet',
      r.securityGroupIds.map((g) => [el('groupId', g)]),
    ),
    view.reason === undefined
      ? undefined
      : el('stateReason', [el('code', view.reason.code), el('message', view.reason.message)]),
    el('architecture', 'x86_64'),
    el('rootDeviceType', 'ebs'),
    el('rootDeviceName', '/dev/xvda'),
    items('blockDeviceMapping', mappings),
    el('virtualizationType', 'hvm'),
    r.clientToken === undefined ? undefined : el('clientToken', r.clientToken),
    tagsXml(r.tags),
    el('hypervisor', 'xen'),
  ].filter((x): x is Xml => x !== undefined);
}

/** One `attachmentSet` item, or the body of AttachVolume/DetachVolume. */
export function attachmentXml(volumeId: string, view: AttachmentView): Xml[] {
  return [
    el('volumeId', volumeId),
    el('instanceId', view.record.instanceId),
    el('device', view.record.device),
    el('status', view.state),
    el('attachTime', iso(view.record.startedAt)),
    el('deleteOnTermination', false),
  ];
}

/** One `volumeSet` item as DescribeVolumes shows it (CreateVolume shows the same fields at top level). */
export function volumeXml(view: VolumeView, withAttachments = true): Xml[] {
  const r = view.record;
  return [
    el('volumeId', r.id),
    el('size', r.sizeGiB),
    el('snapshotId', ''),
    el('availabilityZone', r.availabilityZone),
    el('status', view.state),
    el('createTime', iso(r.createdAt)),
    withAttachments
      ? items(
          'attachmentSet',
          view.attachments.map((a) => attachmentXml(r.id, a)),
        )
      : '',
    el('volumeType', r.volumeType),
    el('iops', 3000),
    el('encrypted', false),
    el('multiAttachEnabled', false),
    r.tags.size > 0 ? tagsXml(r.tags) : '',
  ];
}
