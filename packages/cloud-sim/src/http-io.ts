import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted; real APIs cap bodies too (Nova at 112 KiB of user data). */
export const MAX_BODY_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** Reads the whole request body; resolves `undefined` when it exceeds `MAX_BODY_BYTES`. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  // Most calls are bodiless GETs: skip the stream plumbing (Node discards the empty message).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a JSON (or empty) response unless the socket is already gone. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): void {
  if (res.destroyed || res.headersSent) return;
  const noBody = body === undefined || status === 204 || status === 304;
  const payload = noBody ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(noBody ? {} : { 'content-type': 'application/json' }),
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Splits `req.url` into a normalized path (no trailing slash) and its query. */
export function splitUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  let path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(q < 0 ? undefined : rawUrl.slice(q + 1)) };
}
