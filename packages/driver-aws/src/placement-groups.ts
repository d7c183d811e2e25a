import {
  CreatePlacementGroupCommand,
  DescribePlacementGroupsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { ec2Call } from './ec2-calls.js';

// EC2's GroupName: "Up to 255 ASCII characters" (CreatePlacementGroup); printable, as tag-free names are shown.
const EC2_GROUP_NAME = /^[\x20-\x7e]{1,255}$/;

/** Checks a group name against EC2's grammar, before anything is sent. */
export function checkPlacementGroupName(name: string): void {
  if (!EC2_GROUP_NAME.test(name)) {
    throw new BrokerError(
      'invalid-request',
      'antiAffinityGroup must be 1-255 printable ASCII characters (an EC2 placement group name)',
      { field: 'antiAffinityGroup', retryable: false },
    );
  }
}

/**
 * Makes sure a spread placement group of this name exists. EC2 names are
 * unique per account and region, so racing brokers cannot split: the loser's
 * create is `InvalidPlacementGroup.Duplicate`, and the group it names is the
 * one to use. A group of the name with another strategy is refused, as it
 * would not keep the instances apart.
 */
export async function ensureSpreadGroup(
  client: EC2Client,
  name: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  checkPlacementGroupName(name);
  const strategy = await strategyOf(client, name, signal);
  if (strategy === undefined) {
    try {
      await ec2Call('CreatePlacementGroup', signal, (o) =>
        client.send(new CreatePlacementGroupCommand({ GroupName: name, Strategy: 'spread' }), o),
      );
      return;
    } catch (error) {
      if (!isBrokerError(error) || error.providerCode !== 'InvalidPlacementGroup.Duplicate') throw error;
    }
    return checkSpread(name, await strategyOf(client, name, signal));
  }
  checkSpread(name, strategy);
}

function checkSpread(name: string, strategy: string | undefined): void {
  if (strategy === 'spread') return;
  throw new BrokerError(
    'conflict',
    `placement group "${name}" exists with strategy ${strategy ?? 'unknown'}, not spread`,
    { field: 'antiAffinityGroup', retryable: false },
  );
}

/** The group's strategy, or undefined when EC2 knows no group of the name. */
async function strategyOf(client: EC2Client, name: string, signal: AbortSignal | undefined) {
  try {
    const out = await ec2Call('DescribePlacementGroups', signal, (o) =>
      client.send(new DescribePlacementGroupsCommand({ GroupNames: [name] }), o),
    );
    const group = out.PlacementGroups?.find((g) => g.GroupName === name && g.State !== 'deleted');
    return group === undefined ? undefined : String(group.Strategy ?? '');
  } catch (error) {
    if (isBrokerError(error) && error.providerCode === 'InvalidPlacementGroup.Unknown') return undefined;
    throw error;
  }
}

/**
 * A RunInstances error that means the spread group cannot take the instance:
 * EC2 has no rack free for it in the zone (`InsufficientInstanceCapacity`),
 * or the group already holds its 7 instances there. EC2 made no instance, so
 * a repeat with the same key asks again (and fails the same way until a
 * member is gone).
 */
export function asPlacementFailure(error: unknown, group: string): unknown {
  if (!isBrokerError(error)) return error;
  const capacity = error.providerCode === 'InsufficientInstanceCapacity';
  const spreadLimit =
    /spread placement group/i.test(error.message) && /limit|maximum|capacity/i.test(error.message);
  if (!capacity && !spreadLimit) return error;
  return new BrokerError(
    'placement-failed',
    `EC2 cannot place another instance of spread placement group "${group}": ${error.message}`,
    { ...error.details(), cause: error, retryable: false },
  );
}
