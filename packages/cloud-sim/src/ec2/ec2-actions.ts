import { attachVolume, detachVolume } from './ec2-attachments.js';
import { describeImages, describeInstanceTypes } from './ec2-catalog.js';
import type { Ec2Cloud } from './ec2-cloud.js';
import { filtersOf, instancePasses, volumePasses } from './ec2-filters.js';
import { Ec2ApiError } from './ec2-model.js';
import {
  createPlacementGroup,
  deletePlacementGroup,
  describePlacementGroups,
} from './ec2-placement-groups.js';
import { changePower, rebootInstances } from './ec2-power.js';
import type { Ec2Query } from './ec2-query.js';
import { createTags, deleteTags } from './ec2-tags.js';
import { createVolumeAction, deleteVolumeAction } from './ec2-volume-lifecycle.js';
import { attachmentXml, el, instanceXml, items, response, stateXml, volumeXml, type Xml } from './ec2-xml.js';

type Action = (cloud: Ec2Cloud, query: Ec2Query, requestId: string) => Xml;

const OWNER = '123456789012';

const runInstances: Action = (cloud, q, requestId) => {
  if (q.get('MinCount') !== '1' || q.get('MaxCount') !== '1') {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      'This emulation launches one instance per request (MinCount=MaxCount=1)',
    );
  }
  const record = cloud.runInstance({
    imageId: q.require('ImageId'),
    instanceType: q.get('InstanceType') ?? 'm1.small',
    availabilityZone: q.get('Placement.AvailabilityZone'),
    subnetId: q.get('SubnetId'),
    keyName: q.get('KeyName'),
    securityGroupIds: q.list('SecurityGroupId'),
    tags: q.tagsFor('instance'),
    clientToken: q.get('ClientToken'),
    placementGroupName: q.get('Placement.GroupName'),
  });
  const view = cloud.instance(record.id);
  return response('RunInstances', requestId, [
    el('reservationId', record.reservationId),
    el('ownerId', OWNER),
    items('groupSet', []),
    items('instancesSet', [instanceXml(cloud, view)]),
  ]);
};

const describeInstances: Action = (cloud, q, requestId) => {
  const ids = q.list('InstanceId');
  const filters = filtersOf(q);
  const views = (
    ids.length > 0
      ? ids.map((id) => cloud.instance(id))
      : [...cloud.instances.keys()].map((id) => cloud.instance(id))
  ).filter((view) => instancePasses(view, filters));
  return response('DescribeInstances', requestId, [
    items(
      'reservationSet',
      views.map((view) => [
        el('reservationId', view.record.reservationId),
        el('ownerId', OWNER),
        items('groupSet', []),
        items('instancesSet', [instanceXml(cloud, view)]),
      ]),
    ),
  ]);
};

/** The DescribeInstances filters the emulation knows (`tag:<key>`, `instance-state-name`), as EC2 applies them. */
const terminateInstances: Action = (cloud, q, requestId) => {
  const ids = q.list('InstanceId');
  if (ids.length === 0)
    throw new Ec2ApiError('MissingParameter', 'The request must contain the parameter InstanceId');
  const changes = ids.map((id) => ({ id, ...cloud.terminate(id) }));
  return response('TerminateInstances', requestId, [
    items(
      'instancesSet',
      changes.map((c) => [
        el('instanceId', c.id),
        stateXml('currentState', c.current.state),
        stateXml('previousState', c.previous.state),
      ]),
    ),
  ]);
};

const describeVolumes: Action = (cloud, q, requestId) => {
  const ids = q.list('VolumeId');
  const filters = filtersOf(q);
  const views = (ids.length > 0 ? ids : [...cloud.volumes.keys()])
    .map((id) => cloud.volume(id))
    .filter((view) => volumePasses(view, filters));
  return response('DescribeVolumes', requestId, [
    items(
      'volumeSet',
      views.map((v) => volumeXml(v)),
    ),
  ]);
};

const attach: Action = (cloud, q, requestId) => {
  const volumeId = q.require('VolumeId');
  const view = attachVolume(cloud, volumeId, q.require('InstanceId'), q.require('Device'));
  return response('AttachVolume', requestId, attachmentXml(volumeId, view).slice(0, 5));
};

const detach: Action = (cloud, q, requestId) => {
  const volumeId = q.require('VolumeId');
  // EC2 takes the Query API's booleans as `true`/`false`.
  const view = detachVolume(cloud, volumeId, q.get('InstanceId'), q.get('Force') === 'true');
  return response('DetachVolume', requestId, attachmentXml(volumeId, view).slice(0, 5));
};

/** The actions this emulation answers; anything else is `InvalidAction`, as EC2 says. */
export const EC2_ACTIONS: Readonly<Record<string, Action>> = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  TerminateInstances: terminateInstances,
  CreateVolume: createVolumeAction,
  DeleteVolume: deleteVolumeAction,
  StartInstances: (cloud, q, id) => changePower(cloud, q, id, 'start'),
  StopInstances: (cloud, q, id) => changePower(cloud, q, id, 'stop'),
  RebootInstances: rebootInstances,
  DescribeVolumes: describeVolumes,
  AttachVolume: attach,
  DetachVolume: detach,
  CreatePlacementGroup: (cloud, q, id) => createPlacementGroup(cloud.placementGroups, q, id),
  DescribePlacementGroups: (cloud, q, id) => describePlacementGroups(cloud.placementGroups, q, id),
  DeletePlacementGroup: (cloud, q, id) =>
    deletePlacementGroup(cloud.placementGroups, q, id, cloud.liveInstances()),
  DescribeImages: describeImages,
  DescribeInstanceTypes: describeInstanceTypes,
  CreateTags: createTags,
  DeleteTags: deleteTags,
};

/** An EC2 reply: status and XML body. */
export interface Ec2Reply {
  readonly status: number;
  readonly body: Xml;
  /** The EC2 error code, when the reply is an error. */
  readonly code?: string;
}

/** Answers one Query API request; API errors become EC2's error document. */
export function handleEc2Query(cloud: Ec2Cloud, query: Ec2Query, requestId: string): Ec2Reply {
  const action = EC2_ACTIONS[query.action];
  if (action === undefined) {
    throw new Ec2ApiError(
      'InvalidAction',
      `The action ${query.action || '(none)'} is not valid for this web service.`,
    );
  }
  return { status: 200, body: action(cloud, query, requestId) };
}
