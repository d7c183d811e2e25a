import nock from 'nock';

/** A proxy's error page: what a load balancer sends when the API behind it is down. */
export const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** Only loopback emulators may be reached; everything else is refused. */
export function loopbackOnly(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

/** Turns a route pattern (`/servers/{id}`) into a regular expression over the request path. */
export function routeRegex(pattern: string): RegExp {
  const body = pattern
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/?]+');
  return new RegExp(`^${body}(\\?.*)?$`);
}

/** What one intercepted request is answered with. */
export interface CannedReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/**
 * Answers the next request of `method` to a path matching `path` on `origin`
 * with `reply`; every other request still reaches the emulator.
 */
export function interceptOnce(
  origin: string,
  method: string,
  path: RegExp,
  reply: CannedReply,
  body?: (parsed: Record<string, unknown>) => boolean,
): void {
  const scope = nock(origin, { allowUnmocked: true });
  const lower = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const interceptor = body ? scope[lower](path, body) : scope[lower](path);
  interceptor.once().reply(reply.status, reply.body, { 'content-type': reply.contentType });
}

/** Drops every interceptor left by a row. */
export function clearInterceptors(): void {
  nock.cleanAll();
}
