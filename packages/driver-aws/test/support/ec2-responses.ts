/**
 * Hand-written EC2 responses in the shapes of the EC2 API reference
 * (version 2016-11-15), independent of cloud-sim, for the driver's unit tests.
 */
const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** A response document `<ActionResponse>` with a request id. */
export const doc = (action: string, body: string, requestId = 'req-1'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${NS}"><requestId>${requestId}</requestId>${body}</${action}Response>`;

/** EC2's error document. */
export const errorXml = (code: string, message: string, requestId = 'req-err'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;

const STATE_CODE: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 };

/** One instance item. */
export interface InstanceFixture {
  id: string;
  state: string;
  zone?: string;
  devices?: string[];
  reason?: string;
  name?: string;
}

/** An `instancesSet` item. */
export const instanceItem = (i: InstanceFixture): string =>
  `<item><instanceId>${i.id}</instanceId><imageId>ami-12345678</imageId><instanceState><code>${STATE_CODE[i.state] ?? 0}</code><name>${i.state}</name></instanceState><instanceType>t3.micro</instanceType><launchTime>2026-01-01T00:00:00.000Z</launchTime><placement><availabilityZone>${i.zone ?? 'us-east-1a'}</availabilityZone></placement><privateIpAddress>10.0.0.5</privateIpAddress>${i.reason ? `<stateReason><code>Server.InternalError</code><message>${i.reason}</message></stateReason>` : ''}<rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping>${(i.devices ?? ['/dev/xvda']).map((d) => `<item><deviceName>${d}</deviceName><ebs><volumeId>vol-00000000000000001</volumeId><status>attached</status></ebs></item>`).join('')}</blockDeviceMapping><tagSet><item><key>Name</key><value>${i.name ?? 'sg-1'}</value></item></tagSet></item>`;

/** A DescribeInstances response with one instance. */
export const describeInstances = (i: InstanceFixture): string =>
  doc(
    'DescribeInstances',
    `<reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>${instanceItem(i)}</instancesSet></item></reservationSet>`,
  );

/** A RunInstances response with one pending instance. */
export const runInstances = (id: string): string =>
  doc(
    'RunInstances',
    `<reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>${instanceItem({ id, state: 'pending' })}</instancesSet>`,
  );

/** One volume. */
export interface VolumeFixture {
  id: string;
  state: string;
  zone?: string;
  attachment?: { instanceId: string; state: string; device?: string };
}

/** A DescribeVolumes response with one volume. */
export const describeVolumes = (v: VolumeFixture): string =>
  doc(
    'DescribeVolumes',
    `<volumeSet><item><volumeId>${v.id}</volumeId><size>8</size><availabilityZone>${v.zone ?? 'us-east-1a'}</availabilityZone><status>${v.state}</status><attachmentSet>${v.attachment ? `<item><volumeId>${v.id}</volumeId><instanceId>${v.attachment.instanceId}</instanceId><device>${v.attachment.device ?? '/dev/sdf'}</device><status>${v.attachment.state}</status></item>` : ''}</attachmentSet><multiAttachEnabled>false</multiAttachEnabled></item></volumeSet>`,
  );

/** An AttachVolume response. */
export const attachVolume = (volumeId: string, instanceId: string, device: string): string =>
  doc(
    'AttachVolume',
    `<volumeId>${volumeId}</volumeId><instanceId>${instanceId}</instanceId><device>${device}</device><status>attaching</status>`,
  );
