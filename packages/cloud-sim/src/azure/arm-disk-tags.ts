import type { RouteTable } from '../route-table.js';
import type { ArmCloud } from './arm-cloud.js';
import { ArmError, type Json, resourceNotFound } from './arm-model.js';
import { diskView } from './arm-views.js';

/** ARM's tag limits (Azure Resource Manager, "Tag resources"): 50 per resource, names 512, values 256. */
const MAX_TAGS = 50;

/** A body's `tags`, checked as ARM checks them; undefined when the body has none. */
function tagsOf(body: Json): Record<string, string> | undefined {
  const tags = body.tags;
  if (tags === undefined) return undefined;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags))
    throw new ArmError(
      400,
      'InvalidRequestContent',
      "The request content was invalid: 'tags' is not an object.",
    );
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > MAX_TAGS)
    throw new ArmError(400, 'InvalidTemplate', `The tags of the resource exceed the limit of ${MAX_TAGS}.`);
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || name.length > 512 || value.length > 256)
      throw new ArmError(400, 'InvalidTagNameCharacters', `The tag '${name.slice(0, 40)}' is not valid.`);
  }
  return tags as Record<string, string>;
}

/**
 * `PATCH` of a managed disk (Disks - Update): the fields given replace the disk's, `tags`
 * as a whole (ARM's PATCH semantics); answered 200 with the disk, done at once.
 */
export function addDiskTagRoutes(table: RouteTable, cloud: ArmCloud, diskPath: string): void {
  table.add('PATCH', diskPath, (ctx) => {
    const id = cloud.resourceId(ctx.params.rg ?? '', 'Microsoft.Compute/disks', ctx.params.name ?? '');
    const disk = cloud.disks.get(id.toLowerCase());
    if (!disk) throw resourceNotFound('Microsoft.Compute/disks', ctx.params.name ?? '', ctx.params.rg ?? '');
    const tags = tagsOf((ctx.json() as Json | undefined) ?? {});
    if (tags !== undefined) disk.tags = { ...tags };
    return { status: 200, body: diskView(disk) };
  });
}
