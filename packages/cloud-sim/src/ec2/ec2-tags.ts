import type { Ec2Cloud } from './ec2-cloud.js';
import { Ec2ApiError } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import { el, response, type Xml } from './ec2-xml.js';

/** EC2's per-resource tag limit (user tags; `aws:` ones do not count, and none are made here). */
const MAX_TAGS = 50;

/** `Tag.N.Key` with its `Tag.N.Value` (absent: undefined), in order. */
function tagsOf(q: Ec2Query): { key: string; value: string | undefined }[] {
  const out: { key: string; value: string | undefined }[] = [];
  for (let n = 1; q.get(`Tag.${n}.Key`) !== undefined; n++) {
    out.push({ key: q.get(`Tag.${n}.Key`) ?? '', value: q.get(`Tag.${n}.Value`) });
  }
  return out;
}

/** The record of an instance or volume id, with its tags; EC2's NotFound codes otherwise. */
function taggable(cloud: Ec2Cloud, id: string): { tags: ReadonlyMap<string, string> } {
  if (id.startsWith('vol-')) return cloud.volumeRecord(id);
  if (id.startsWith('i-')) return cloud.instance(id).record;
  throw new Ec2ApiError('InvalidID', `The ID '${id}' is not valid`);
}

function checkTag(key: string, value: string): void {
  if (key.length < 1 || key.length > 128)
    throw new Ec2ApiError('InvalidParameterValue', 'Tag key exceeds the maximum length of 128 characters');
  if (value.length > 256)
    throw new Ec2ApiError('InvalidParameterValue', 'Tag value exceeds the maximum length of 256 characters');
  if (key.toLowerCase().startsWith('aws:'))
    throw new Ec2ApiError(
      'InvalidParameterValue',
      "Tag keys starting with 'aws:' are reserved for internal use",
    );
}

/**
 * CreateTags, as EC2 answers it: every resource checked first (a missing one fails the whole
 * call), each tag within its limits, a key already there overwritten, then `return` true.
 * A resource past 50 tags is `TagLimitExceeded`.
 */
export function createTags(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const records = q.list('ResourceId').map((id) => taggable(cloud, id));
  const tags = tagsOf(q);
  for (const { key, value } of tags) checkTag(key, value ?? '');
  for (const record of records) {
    const next = new Map(record.tags);
    for (const { key, value } of tags) next.set(key, value ?? '');
    if (next.size > MAX_TAGS)
      throw new Ec2ApiError(
        'TagLimitExceeded',
        'The maximum number of Tags for a resource has been reached.',
      );
  }
  for (const record of records) {
    const next = new Map(record.tags);
    for (const { key, value } of tags) next.set(key, value ?? '');
    record.tags = next;
  }
  return response('CreateTags', requestId, [el('return', true)]);
}

/**
 * DeleteTags: each key removed, only where its value matches when a value is given; a key
 * that is not there is no error (EC2 answers `return` true all the same).
 */
export function deleteTags(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const records = q.list('ResourceId').map((id) => taggable(cloud, id));
  const tags = tagsOf(q);
  for (const record of records) {
    const next = new Map(record.tags);
    for (const { key, value } of tags) {
      if (value === undefined || next.get(key) === value) next.delete(key);
    }
    record.tags = next;
  }
  return response('DeleteTags', requestId, [el('return', true)]);
}
