// The alternative measured in bench/openstack.mjs (c): Node's fetch on an undici Agent of its own,
// which gives fetch keep-alive and a private CA (`connect: { ca, rejectUnauthorized }`). Measured
// against the driver's node:http transport, it lost by more than 10% (the figures are in
// packages/driver-openstack/src/http/node-http-transport.ts), so the driver keeps node:http and
// this lives here, to measure again (undici is a bench-only dependency, bench/package.json).
import { createRequire } from 'node:module';

/** Fetch through an undici Agent (keep-alive; `ca` and `rejectUnauthorized` for https), and its close. */
export function createUndiciTransport({ ca, rejectUnauthorized = true, keepAliveTimeoutMs = 4_000 } = {}) {
  // Loaded on use, as pkgcloud is: the other workloads run without the bench's own dependencies.
  const { Agent } = createRequire(import.meta.url)('undici');
  const connect = ca === undefined ? { rejectUnauthorized } : { ca, rejectUnauthorized };
  const agent = new Agent({ connect, keepAliveTimeout: keepAliveTimeoutMs });
  return {
    fetch: (input, init) => globalThis.fetch(input, { ...init, dispatcher: agent }),
    close: () => agent.destroy(),
  };
}
