/**
 * The ARM operation a request is, named as the REST specs name operation ids
 * (`VirtualMachines_CreateOrUpdate`, `Disks_Get`, `VirtualMachines_PowerOff`),
 * read from the method and the resource path: request events then say which
 * call it was, not only a URL.
 */
export function operationName(method: string, url: string): string {
  const path = pathOf(url);
  const segments = path.split('/').filter((s) => s.length > 0);
  const providers = lastIndexOf(segments, 'providers');
  // After `providers/<Namespace>` come type/name pairs; without one, the ARM path starts with them.
  const rest = providers >= 0 ? segments.slice(providers + 2) : segments;
  if (rest.length === 0) return `${method.toUpperCase()} ${path}`;
  const verb = method.toUpperCase();
  if (rest.length % 2 === 0) return `${typeName(rest[rest.length - 2])}_${ITEM_VERBS[verb] ?? capital(verb)}`;
  const last = rest[rest.length - 1];
  // An odd count ends in a type (a list) or, after a POST on a resource, in an action (`start`).
  if (verb === 'POST' && rest.length > 1) return `${typeName(rest[rest.length - 3])}_${capital(last)}`;
  return `${typeName(last)}_${verb === 'GET' ? 'List' : capital(verb)}`;
}

const ITEM_VERBS: Record<string, string> = {
  GET: 'Get',
  PUT: 'CreateOrUpdate',
  PATCH: 'Update',
  DELETE: 'Delete',
  HEAD: 'CheckExistence',
};

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function lastIndexOf(segments: readonly string[], name: string): number {
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i]?.toLowerCase() === name) return i;
  return -1;
}

function typeName(segment: string | undefined): string {
  return capital(segment ?? 'Resource');
}

function capital(word: string | undefined): string {
  if (!word) return '';
  const lower = word === word.toUpperCase() ? word.toLowerCase() : word;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
