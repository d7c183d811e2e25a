import type { HttpRequest } from './http-types.js';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The request budget's lane of a request: its service's reads or writes at one endpoint.
 * OpenStack's limiters (a deployment's, per project, service and verb; Cinder's and Nova's
 * old built-in ones per verb) keep reads and writes apart, and each cascaded region has its
 * own, so a 429 pauses the callers of that lane and the waits' reads go on.
 */
export function budgetLane(request: Pick<HttpRequest, 'method' | 'service' | 'url' | 'endpoint'>): string {
  const kind = READ_METHODS.has(request.method) ? 'reads' : 'writes';
  const scope = request.endpoint ?? hostOf(request.url);
  return `${request.service} ${kind} ${scope}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
