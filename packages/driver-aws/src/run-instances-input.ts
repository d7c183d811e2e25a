import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import type { CreateServerRequest } from '@hybrid-broker/core';
import { createServerDigest, REQUEST_DIGEST_KEY } from '@hybrid-broker/core/driver-kit';
import { clientTokenFor, IDEMPOTENCY_TAG } from './client-token.js';

/**
 * The RunInstances request for a createServer request: one instance, the
 * first network as its subnet, user data base64-encoded as EC2 requires, the
 * name and metadata as tags on the instance, and a ClientToken derived from
 * the idempotency key so a repeated create returns the same instance (with
 * the request's digest beside it, so a key reused for another request is refused).
 */
export function runInstancesInput(
  request: CreateServerRequest,
  idempotencyKey: string | undefined,
): RunInstancesCommandInput {
  const tags = [
    { Key: 'Name', Value: request.name },
    ...Object.entries(request.metadata ?? {}).map(([Key, Value]) => ({ Key, Value })),
    ...(idempotencyKey === undefined
      ? []
      : [
          { Key: IDEMPOTENCY_TAG, Value: clientTokenFor(idempotencyKey) },
          { Key: REQUEST_DIGEST_KEY, Value: createServerDigest(request) },
        ]),
  ];
  const subnet = request.networks?.[0];
  return {
    ImageId: request.image,
    InstanceType: request.flavor as RunInstancesCommandInput['InstanceType'],
    MinCount: 1,
    MaxCount: 1,
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
    ...(subnet === undefined ? {} : { SubnetId: subnet }),
    ...(request.securityGroups?.length ? { SecurityGroupIds: [...request.securityGroups] } : {}),
    ...(request.availabilityZone === undefined && request.antiAffinityGroup === undefined
      ? {}
      : {
          Placement: {
            ...(request.availabilityZone === undefined ? {} : { AvailabilityZone: request.availabilityZone }),
            // A spread placement group: each member on its own rack (see placement-groups.ts).
            ...(request.antiAffinityGroup === undefined ? {} : { GroupName: request.antiAffinityGroup }),
          },
        }),
    ...(request.userData === undefined
      ? {}
      : { UserData: Buffer.from(request.userData, 'utf8').toString('base64') }),
    ...(request.keyName === undefined ? {} : { KeyName: request.keyName }),
    ...(idempotencyKey === undefined ? {} : { ClientToken: clientTokenFor(idempotencyKey) }),
  };
}
