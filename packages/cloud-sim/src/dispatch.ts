import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteCounters } from './counters.js';
import type { FaultDecision, FaultSet } from './faults.js';
import { readBody, splitUrl, writeJson } from './http-io.js';
import type { SimRandom } from './random.js';
import type { SimRateLimit } from './scenario/rate-limit.js';
import type { Scheduler } from './scheduler.js';
import { SimError, type SimReply, type SimRequestHead, type SimRoute, type SimService } from './service.js';
import { writeWire } from './wire-reply.js';

/** What the dispatcher needs from the simulator. */
export interface DispatchDeps {
  readonly services: readonly SimService[];
  readonly faults: FaultSet;
  readonly counters: RouteCounters;
  readonly scheduler: Scheduler;
  readonly random: SimRandom;
  /** Origin for links, known once the server listens. */
  origin(): string;
  /** Revokes a token (for the `revoke-token` fault). */
  revokeToken(token: string): void;
  /** The cloud's server-side rate limiter, when the scenario turns one on (off by default). */
  limits?(): SimRateLimit | undefined;
}

/** Body of a 404 for a path no service claims (as Nova's router answers). */
const NOT_FOUND = { itemNotFound: { code: 404, message: 'The resource could not be found.' } };

/**
 * Builds the request listener: route -> count -> faults -> body -> handler -> reply.
 * Never throws: every failure becomes an error response in the owning service's format.
 */
export function createDispatcher(deps: DispatchDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatch(deps, req, res).catch(() => {
      writeJson(res, 500, { computeFault: { code: 500, message: 'Unexpected simulator error.' } }, {});
    });
  };
}

async function dispatch(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitUrl(req.url ?? '/');
  const head: SimRequestHead = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query,
    headers: req.headers,
  };
  const requestId = `req-${deps.random.uuid()}`;
  const baseHeaders: Record<string, string> = { 'x-openstack-request-id': requestId };
  let service: SimService | undefined;
  let route: SimRoute | undefined;
  for (const candidate of deps.services) {
    route = candidate.match(head);
    if (route) {
      service = candidate;
      break;
    }
  }
  const body = await readBody(req);
  if (!service || !route) {
    writeJson(res, 404, NOT_FOUND, baseHeaders);
    return;
  }
  Object.assign(baseHeaders, service.responseHeaders?.(head));
  const owner = service;
  const fail = (error: SimError): void => {
    writeJson(res, error.status, owner.formatError(error), {
      ...baseHeaders,
      ...owner.errorHeaders?.(error, deps.origin()),
      ...retryAfter(error),
      ...error.headers,
    });
  };
  let decision: FaultDecision | undefined;
  if (route.instrumented !== false) {
    deps.counters.increment(route.key);
    // The cloud's limiter runs before anything else the request would cost, as a gateway's does.
    const verdict = deps.limits?.()?.check({ ...head, routeKey: route.key, params: route.params });
    if (verdict) Object.assign(baseHeaders, verdict.headers);
    if (verdict?.error) {
      fail(verdict.error);
      return;
    }
    decision = deps.faults.evaluate({ method: head.method, path, routePattern: patternOf(route.key) });
  }
  if (decision) {
    if (decision.latencyMs > 0) await deps.scheduler.sleep(decision.latencyMs);
    await decision.hold;
    const terminal = decision.terminal;
    if (terminal?.type === 'reset') {
      req.socket.destroy();
      return;
    }
    if (terminal?.type === 'wire') {
      writeWire(req, res, terminal);
      return;
    }
    if (decision.revokeToken) {
      const token = req.headers['x-auth-token'];
      if (typeof token === 'string') deps.revokeToken(token);
    }
    if (terminal?.type === 'error' && terminal.body !== undefined) {
      writeJson(res, terminal.status, terminal.body, { ...baseHeaders, ...terminal.headers });
      return;
    }
    if (terminal) {
      fail(faultError(terminal));
      return;
    }
  }
  if (body === undefined) {
    fail(new SimError(413, 'Request is too large.'));
    return;
  }
  let parsed: { value: unknown } | undefined;
  const ctx = {
    ...head,
    params: route.params,
    routeKey: route.key,
    requestId,
    transition: decision?.transition,
    origin: deps.origin(),
    json(): unknown {
      if (!parsed) parsed = { value: parseJson(body) };
      return parsed.value;
    },
  };
  let reply: SimReply;
  try {
    reply = await route.handle(ctx);
  } catch (error) {
    fail(error instanceof SimError ? error : new SimError(500, 'Unexpected API Error.'));
    return;
  }
  writeJson(res, reply.status, reply.body, { ...baseHeaders, ...reply.headers });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SimError(400, 'Malformed request body');
  }
}

function patternOf(key: string): string {
  return key.slice(key.indexOf(' ') + 1);
}

function retryAfter(error: SimError): Record<string, string> {
  return error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
}

function faultError(
  action: Exclude<NonNullable<FaultDecision['terminal']>, { type: 'reset' | 'wire' }>,
): SimError {
  switch (action.type) {
    case 'throttle':
      return new SimError(action.status ?? 429, action.message ?? 'This request was rate-limited.', {
        retryAfterSeconds: action.retryAfterSeconds ?? 1,
      });
    case 'unavailable':
      return new SimError(503, action.message ?? 'The service is currently unavailable.');
    case 'error':
      return new SimError(action.status, action.message ?? 'Injected fault.', {
        headers: { ...action.headers },
      });
  }
}
