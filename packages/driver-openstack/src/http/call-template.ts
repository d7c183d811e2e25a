/**
 * The method and path template of an OpenStack request, as the API references
 * write them (`POST /servers/{id}/os-volume_attachments`): the endpoint's base
 * (path prefix, API version, project id) is cut off and every resource id
 * becomes `{id}`. Request events carry it, so a log line or a span says which
 * call it was without the ids that make every URL different.
 */
export function callTemplate(method: string, url: string): string {
  const segments = pathOf(url)
    .split('/')
    .filter((s) => s.length > 0);
  const version = segments.findIndex((s) => VERSION.test(s));
  let rest = version >= 0 ? segments.slice(version + 1) : segments;
  // Cinder (and Nova before 2.18) put the project id after the version.
  if (rest.length > 0 && PROJECT_ID.test(rest[0] ?? '')) rest = rest.slice(1);
  // Collections and ids alternate: /servers/{id}/os-volume_attachments/{id}; a few literals sit where ids do.
  const template = rest.map((segment, i) => (i % 2 === 1 && !LITERALS.has(segment) ? '{id}' : segment));
  return `${method} /${template.join('/')}`;
}

const VERSION = /^v\d+(\.\d+)?$/;
const PROJECT_ID = /^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Literal path segments where an id could stand (Nova/Cinder `detail`, Keystone `auth/tokens`). */
const LITERALS = new Set(['detail', 'tokens', 'catalog', 'projects', 'domains', 'system', 'summary']);

function pathOf(url: string): string {
  const start = url.indexOf('//');
  const slash = start >= 0 ? url.indexOf('/', start + 2) : url.indexOf('/');
  if (slash < 0) return '/';
  const end = url.search(/[?#]/);
  return end > slash ? url.slice(slash, end) : url.slice(slash);
}
