import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import type { ComputeManagementClient } from '@azure/arm-compute';
import { BrokerError } from '@hybrid-broker/core';
import { checkResponseHead, responseTooLarge, safeUrl } from '@hybrid-broker/core/driver-kit';

/** The SDK's HttpClient type, taken from the client options so no extra package is named. */
export type ArmHttpClient = NonNullable<
  NonNullable<ConstructorParameters<typeof ComputeManagementClient>[2]>['httpClient']
>;
type PipelineRequest = Parameters<ArmHttpClient['sendRequest']>[0];
type PipelineResponse = Awaited<ReturnType<ArmHttpClient['sendRequest']>>;
type HttpHeaders = PipelineResponse['headers'];

/** What every ARM request is held to. */
export interface ArmRequestLimits {
  /** Whole request: connect, headers and the whole body. */
  readonly requestTimeoutMs: number;
  /** Largest body accepted, counted while it streams. */
  readonly maxResponseBytes: number;
}

/**
 * The HTTP client under both ARM SDK clients, replacing the SDK's own: one request
 * discipline for Azure. A request ends after `requestTimeoutMs`, body included; an abort
 * or a timeout destroys the socket (with an error listener always attached, so a socket
 * still connecting cannot raise an uncaught `ECANCELED`); a body over `maxResponseBytes` is
 * refused while it streams; a 3xx is never followed (a `provider-error` naming the host,
 * so the bearer token never goes elsewhere); a 2xx HTML page is a retryable `unavailable`.
 */
export function createArmHttpClient(limits: ArmRequestLimits): ArmHttpClient & { close(): void } {
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  return {
    sendRequest: (request) => send(request, agents, limits),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function send(
  request: PipelineRequest,
  agents: { http: Agent; https: Agent },
  limits: ArmRequestLimits,
): Promise<PipelineResponse> {
  return new Promise((resolve, reject) => {
    const signal = request.abortSignal;
    const what = `ARM ${request.method} ${safeUrl(request.url)}`;
    if (signal?.aborted) return reject(abortError());
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const body = typeof request.body === 'string' ? request.body : undefined;
    const headers: Record<string, string | number> = request.headers.toJSON();
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (error: unknown, response?: PipelineResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else {
        reject(error);
        req?.destroy();
      }
    };
    const onAbort = (): void => finish(abortError());
    const timer = setTimeout(
      () => finish(timedOut(what, limits.requestTimeoutMs)),
      Math.min(limits.requestTimeoutMs, request.timeout > 0 ? request.timeout : Number.POSITIVE_INFINITY),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    const options = { method: request.method, headers, agent: secure ? agents.https : agents.http };
    const onResponse = (res: IncomingMessage): void => {
      const refusal = refusalOf(res, what, limits.maxResponseBytes);
      if (refusal) {
        finish(refusal);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) finish(responseTooLarge(what, limits.maxResponseBytes));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        finish(undefined, {
          request,
          status: res.statusCode ?? 0,
          headers: headersOf(res),
          bodyAsText: Buffer.concat(chunks, size).toString('utf8'),
        });
      });
      res.on('error', (error) => finish(error));
      res.on('close', () => finish(networkError(what, 'the connection closed before the response ended')));
    };
    req = (secure ? https : http).request(url, options, onResponse);
    // Always listened for: a destroyed request may still report an error later.
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish(networkError(what, error.code ?? error.message)),
    );
    req.end(body);
  });
}

function refusalOf(res: IncomingMessage, what: string, maxBytes: number): BrokerError | undefined {
  return checkResponseHead(
    { status: res.statusCode ?? 0, header: (name) => headerOf(res, name) },
    { what, maxBytes, expectedBody: "ARM's JSON", redirectNote: 'the token never leaves the endpoint' },
  );
}

// Node gives a repeated header as an array (only set-cookie and a few others): the first is read.
function headerOf(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function timedOut(what: string, ms: number): BrokerError {
  return new BrokerError('unavailable', `${what} timed out after ${ms} ms`);
}

function networkError(what: string, detail: string): BrokerError {
  return new BrokerError('unavailable', `${what} failed before a whole response: ${detail}`);
}

function abortError(): Error {
  // The SDK and core recognize aborts by this name.
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}

function headersOf(res: IncomingMessage): HttpHeaders {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new ResponseHeaders(map) as unknown as HttpHeaders;
}

/** The SDK's HttpHeaders over a map of lower-case names. */
class ResponseHeaders {
  readonly #map: Map<string, string>;
  constructor(map: Map<string, string>) {
    this.#map = map;
  }
  get(name: string): string | undefined {
    return this.#map.get(name.toLowerCase());
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.#map.set(name.toLowerCase(), String(value));
  }
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.#map);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
}
