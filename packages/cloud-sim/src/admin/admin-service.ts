import type { RouteCounters } from '../counters.js';
import { parseFaultRule } from '../fault-rule-parse.js';
import type { FaultSet } from '../faults.js';
import { RouteTable } from '../route-table.js';
import { SimError, type SimService } from '../service.js';

/** Adds a cloud's own admin routes (under `/_sim/<cloud>/...`) to the admin table. */
export type AdminExtension = (table: RouteTable) => void;

/** What the generic admin API controls. */
export interface AdminDeps {
  readonly faults: FaultSet;
  readonly counters: RouteCounters;
  /** Full reset: state, faults, counts, timers. */
  reset(): void;
  /** URLs and credentials, for `GET /_sim/info`. */
  info(): unknown;
  /** Per-cloud admin routes. */
  readonly extensions: readonly AdminExtension[];
}

/**
 * The simulator's own control API under `/_sim/`: not counted, not subject to faults,
 * no token needed (the server listens on loopback only).
 */
export function createAdminService(deps: AdminDeps): SimService {
  const table = new RouteTable()
    .add('GET', '/_sim/info', () => ({ status: 200, body: deps.info() }))
    .add('POST', '/_sim/reset', () => {
      deps.reset();
      return { status: 204 };
    })
    .add('GET', '/_sim/counts', () => ({
      status: 200,
      body: { counts: deps.counters.snapshot(), total: deps.counters.total() },
    }))
    .add('DELETE', '/_sim/counts', () => {
      deps.counters.reset();
      return { status: 204 };
    })
    .add('GET', '/_sim/faults', () => ({ status: 200, body: { faults: deps.faults.list() } }))
    .add('POST', '/_sim/faults', (ctx) => {
      const body = ctx.json();
      const raw =
        body && typeof body === 'object' && 'rules' in body ? (body as { rules: unknown }).rules : [body];
      if (!Array.isArray(raw)) throw new SimError(400, 'invalid fault rule: rules must be an array');
      const rules = raw.map(parseFaultRule);
      return { status: 201, body: { ids: rules.map((r) => deps.faults.add(r)) } };
    })
    .add('DELETE', '/_sim/faults', () => {
      deps.faults.clear();
      return { status: 204 };
    })
    .add('DELETE', '/_sim/faults/{id}', (ctx) => {
      if (!deps.faults.remove(ctx.params.id ?? '')) throw new SimError(404, `no fault rule ${ctx.params.id}`);
      return { status: 204 };
    });
  for (const extend of deps.extensions) extend(table);
  return {
    name: 'admin',
    match(req) {
      if (!req.path.startsWith('/_sim/')) return undefined;
      const route = table.match(req.method, req.path);
      return route && { ...route, instrumented: false };
    },
    formatError: (error) => ({ error: { code: error.status, message: error.message } }),
  };
}
