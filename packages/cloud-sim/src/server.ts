import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdminDeps, createAdminService } from './admin/admin-service.js';
import { createCinderService } from './openstack/cinder.js';
import { createGlanceService } from './openstack/glance.js';
import { createKeystoneService } from './openstack/keystone.js';
import { createNovaService } from './openstack/nova.js';
import type { OpenStackSim } from './openstack/openstack-sim.js';
import type { SimService } from './service.js';

/** The only address the simulator listens on: it must never be reachable from elsewhere. */
export const LOOPBACK = '127.0.0.1';

/** What the service factories are built from. */
export interface ServiceDeps {
  readonly admin: AdminDeps;
  readonly openstack: OpenStackSim;
}

/**
 * Every emulated API, tried in this order. To add a cloud (say `src/ec2/`), give it its own
 * state object in `ServiceDeps` and append its service(s) here; its admin routes go in
 * `admin.extensions`. No other file needs to change.
 */
export function createServices(deps: ServiceDeps): SimService[] {
  return [
    createAdminService(deps.admin),
    createKeystoneService(deps.openstack),
    createNovaService(deps.openstack),
    createCinderService(deps.openstack),
    createGlanceService(deps.openstack),
  ];
}

/** Listens on `127.0.0.1:port` (0: any free port) and resolves once bound. */
export function listenLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ keepAlive: true }, handler);
  // A malformed request line must cost the client its connection, not us the process.
  server.on('clientError', (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}

/** Stops accepting, drops every open (keep-alive) connection and resolves once closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
