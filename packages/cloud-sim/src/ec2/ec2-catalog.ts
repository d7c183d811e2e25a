import type { Ec2Cloud } from './ec2-cloud.js';
import { filtersOf } from './ec2-filters.js';
import { Ec2ApiError } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import { el, items, response, type Xml } from './ec2-xml.js';

/** The account every emulated image belongs to (as DescribeInstances' `ownerId`). */
const OWNER = '123456789012';

/** What DescribeInstanceTypes says of the types the emulation knows (vCPUs, MiB, instance store GB). */
const TYPE_SPECS: Readonly<Record<string, readonly [number, number, number]>> = {
  't3.micro': [2, 1024, 0],
  't3.small': [2, 2048, 0],
  't3.medium': [2, 4096, 0],
  'm5.large': [2, 8192, 0],
  'm5.xlarge': [4, 16384, 0],
  'm1.small': [1, 1740, 160],
  'c5d.large': [2, 4096, 50],
};

/** The name of the emulation's `index`th AMI: the first is the storage-gateway server image. */
export function imageName(index: number): string {
  return index === 0 ? 'sg-server' : `sg-image-${index}`;
}

/** EC2's name filter takes `*` and `?` wildcards. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

function passes(values: readonly string[], value: string, glob: boolean): boolean {
  return values.some((v) => (glob ? globMatches(v, value) : v === value));
}

/**
 * DescribeImages: every AMI of the region is the account's own (`self`), available, with an
 * 8 GiB gp3 root snapshot. `Owner.N`, `ImageId.N` and the `name`, `state`, `image-id` and
 * `owner-id` filters apply as EC2 applies them; another filter is InvalidParameterValue.
 */
export function describeImages(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const owners = q.list('Owner');
  const ids = q.list('ImageId');
  const filters = filtersOf(q);
  const all = [...cloud.images].map((id, index) => ({ id, name: imageName(index) }));
  const found = all.filter((image) => {
    if (owners.length > 0 && !owners.some((o) => o === 'self' || o === OWNER)) return false;
    if (ids.length > 0 && !ids.includes(image.id)) return false;
    return filters.every((f) => {
      if (f.name === 'name') return passes(f.values, image.name, true);
      if (f.name === 'state') return passes(f.values, 'available', false);
      if (f.name === 'image-id') return passes(f.values, image.id, false);
      if (f.name === 'owner-id') return passes(f.values, OWNER, false);
      throw new Ec2ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
    });
  });
  return response('DescribeImages', requestId, [items('imagesSet', found.map(imageXml))]);
}

function imageXml(image: { id: string; name: string }): Xml[] {
  return [
    el('imageId', image.id),
    el('imageLocation', `${OWNER}/${image.name}`),
    el('imageState', 'available'),
    el('imageOwnerId', OWNER),
    el('isPublic', false),
    el('architecture', 'x86_64'),
    el('imageType', 'machine'),
    el('name', image.name),
    el('rootDeviceType', 'ebs'),
    el('rootDeviceName', '/dev/xvda'),
    items('blockDeviceMapping', [
      [
        el('deviceName', '/dev/xvda'),
        el('ebs', [
          el('snapshotId', `snap-${image.id.slice(4)}`),
          el('volumeSize', 8),
          el('deleteOnTermination', true),
          el('volumeType', 'gp3'),
        ]),
      ],
    ]),
    el('virtualizationType', 'hvm'),
  ];
}

/**
 * DescribeInstanceTypes over the types RunInstances accepts, paged by `MaxResults` (5..100)
 * and `NextToken` as EC2 pages it; `InstanceType.N` narrows the list.
 */
export function describeInstanceTypes(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const asked = q.list('InstanceType');
  const known = [...cloud.instanceTypes].filter((t) => asked.length === 0 || asked.includes(t));
  const max = Number(q.get('MaxResults') ?? '100');
  if (!Number.isInteger(max) || max < 5 || max > 100) {
    throw new Ec2ApiError('InvalidParameterValue', 'MaxResults must be between 5 and 100');
  }
  const start = Number(q.get('NextToken') ?? '0');
  if (!Number.isInteger(start) || start < 0)
    throw new Ec2ApiError('InvalidNextToken', 'The token is invalid');
  const page = known.slice(start, start + max);
  const next = start + max < known.length ? String(start + max) : undefined;
  return response('DescribeInstanceTypes', requestId, [
    items('instanceTypeSet', page.map(typeXml)),
    ...(next === undefined ? [] : [el('nextToken', next)]),
  ]);
}

function typeXml(type: string): Xml[] {
  const [vcpus, mib, storeGb] = TYPE_SPECS[type] ?? [2, 4096, 0];
  return [
    el('instanceType', type),
    el('currentGeneration', true),
    el('vCpuInfo', [el('defaultVCpus', vcpus)]),
    el('memoryInfo', [el('sizeInMiB', mib)]),
    el('instanceStorageSupported', storeGb > 0),
    storeGb > 0 ? el('instanceStorageInfo', [el('totalSizeInGB', storeGb)]) : undefined,
  ].filter((x): x is string => x !== undefined);
}
