import { Ec2ApiError } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import type { InstanceView, VolumeView } from './ec2-views.js';

/** One `Filter.N` of a Describe request: a name and the values any of which may match. */
export interface Ec2Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** The `Filter.N.Name` / `Filter.N.Value.M` fields of a request. */
export function filtersOf(query: Ec2Query): Ec2Filter[] {
  const out: Ec2Filter[] = [];
  for (let n = 1; query.get(`Filter.${n}.Name`) !== undefined; n++) {
    out.push({ name: query.get(`Filter.${n}.Name`) ?? '', values: query.list(`Filter.${n}.Value`) });
  }
  return out;
}

// The filters this emulation knows; EC2 answers an unknown one with InvalidParameterValue.
function instanceField(view: InstanceView, name: string): readonly string[] | undefined {
  if (name.startsWith('tag:')) {
    const value = view.record.tags.get(name.slice(4));
    return value === undefined ? [] : [value];
  }
  if (name === 'client-token') return view.record.clientToken === undefined ? [] : [view.record.clientToken];
  if (name === 'instance-state-name') return [view.state];
  if (name === 'availability-zone') return [view.record.availabilityZone];
  return undefined;
}

function volumeField(view: VolumeView, name: string): readonly string[] | undefined {
  if (name.startsWith('tag:')) {
    const value = view.record.tags.get(name.slice(4));
    return value === undefined ? [] : [value];
  }
  if (name === 'status') return [view.state];
  if (name === 'attachment.instance-id') return view.attachments.map((a) => a.record.instanceId);
  if (name === 'availability-zone') return [view.record.availabilityZone];
  return undefined;
}

function matches(have: readonly string[] | undefined, filter: Ec2Filter): boolean {
  if (have === undefined) {
    throw new Ec2ApiError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
  // As EC2 does: the values of one filter are OR-ed, `*` and `?` are wildcards.
  return filter.values.some((wanted) => {
    const pattern = new RegExp(
      `^${wanted
        .replace(/[\\^$.+()[\]{}|]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return have.some((value) => pattern.test(value));
  });
}

/** True when the instance passes every filter (filters are AND-ed). */
export function instancePasses(view: InstanceView, filters: readonly Ec2Filter[]): boolean {
  return filters.every((f) => matches(instanceField(view, f.name), f));
}

/** True when the volume passes every filter. */
export function volumePasses(view: VolumeView, filters: readonly Ec2Filter[]): boolean {
  return filters.every((f) => matches(volumeField(view, f.name), f));
}
