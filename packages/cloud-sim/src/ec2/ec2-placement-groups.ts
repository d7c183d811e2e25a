import { randomBytes } from 'node:crypto';
import { Ec2ApiError, type InstanceRecord } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import { el, items, response, type Xml } from './ec2-xml.js';

/** EC2's hard limit of running instances per zone in one spread placement group (EC2 User Guide). */
export const SPREAD_LIMIT_PER_ZONE = 7;
const STRATEGIES = ['cluster', 'spread', 'partition'];

/** One placement group of the account and region. */
export interface PlacementGroupRecord {
  readonly groupName: string;
  readonly groupId: string;
  readonly strategy: string;
}

/** The placement groups and racks of one emulated region. */
export class Ec2PlacementGroups {
  readonly groups = new Map<string, PlacementGroupRecord>();

  /** @param racksPerZone distinct racks a spread group can use in one zone (at most 7 count) */
  constructor(readonly racksPerZone: number) {}

  create(name: string, strategy: string): PlacementGroupRecord {
    if (!/^[\x20-\x7e]{1,255}$/.test(name)) {
      throw new Ec2ApiError('InvalidParameterValue', `Invalid value '${name}' for GroupName.`);
    }
    if (!STRATEGIES.includes(strategy)) {
      throw new Ec2ApiError('InvalidParameterValue', `Invalid value '${strategy}' for Strategy.`);
    }
    if (this.groups.has(name)) {
      throw new Ec2ApiError(
        'InvalidPlacementGroup.Duplicate',
        `The Placement Group '${name}' already exists.`,
      );
    }
    const group = { groupName: name, groupId: `pg-${randomBytes(9).toString('hex').slice(0, 17)}`, strategy };
    this.groups.set(name, group);
    return group;
  }

  named(name: string): PlacementGroupRecord {
    const group = this.groups.get(name);
    if (!group)
      throw new Ec2ApiError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);
    return group;
  }

  /**
   * The rack of a new instance of `group` in `zone`: for a spread group, one
   * no live member holds; past the racks (or the limit of 7) EC2 refuses the
   * launch with InsufficientInstanceCapacity and makes no instance.
   */
  rackFor(name: string, zone: string, live: Iterable<InstanceRecord>): string {
    const group = this.named(name);
    if (group.strategy !== 'spread') return `${zone}-rack-1`;
    const taken = new Set<string>();
    for (const i of live)
      if (i.placementGroup === name && i.availabilityZone === zone && i.rack) taken.add(i.rack);
    const limit = Math.min(this.racksPerZone, SPREAD_LIMIT_PER_ZONE);
    for (let n = 1; n <= limit; n++) if (!taken.has(`${zone}-rack-${n}`)) return `${zone}-rack-${n}`;
    throw new Ec2ApiError(
      'InsufficientInstanceCapacity',
      `We currently do not have sufficient capacity to launch another instance into spread placement group '${name}' in the Availability Zone you requested (${zone}): each of its ${limit} racks there holds one.`,
      500,
    );
  }
}

function groupXml(g: PlacementGroupRecord): Xml[] {
  return [
    el('groupName', g.groupName),
    el('state', 'available'),
    el('strategy', g.strategy),
    el('groupId', g.groupId),
    el('groupArn', `arn:aws:ec2:us-east-1:123456789012:placement-group/${g.groupName}`),
  ];
}

/** `CreatePlacementGroup` (GroupName, Strategy). */
export function createPlacementGroup(groups: Ec2PlacementGroups, q: Ec2Query, requestId: string): Xml {
  const group = groups.create(q.require('GroupName'), q.get('Strategy') ?? 'cluster');
  return response('CreatePlacementGroup', requestId, [
    el('return', 'true'),
    el('placementGroup', groupXml(group)),
  ]);
}

/** `DescribePlacementGroups` (GroupName.N; an unknown name is `InvalidPlacementGroup.Unknown`). */
export function describePlacementGroups(groups: Ec2PlacementGroups, q: Ec2Query, requestId: string): Xml {
  const names = q.list('GroupName');
  const found = names.length > 0 ? names.map((n) => groups.named(n)) : [...groups.groups.values()];
  return response('DescribePlacementGroups', requestId, [items('placementGroupSet', found.map(groupXml))]);
}

/** `DeletePlacementGroup`: refused while instances are in it. */
export function deletePlacementGroup(
  groups: Ec2PlacementGroups,
  q: Ec2Query,
  requestId: string,
  live: Iterable<InstanceRecord>,
): Xml {
  const name = q.require('GroupName');
  groups.named(name);
  for (const i of live) {
    if (i.placementGroup === name) {
      throw new Ec2ApiError(
        'InvalidPlacementGroup.InUse',
        `The placement group '${name}' is in use and may not be deleted.`,
      );
    }
  }
  groups.groups.delete(name);
  return response('DeletePlacementGroup', requestId, [el('return', 'true')]);
}
