/**
 * @packageDocumentation
 * The layers the `openstack` driver is built from, for drivers built from it
 * (the cascading driver builds one driver per region on one Keystone session)
 * and for tools that talk to Keystone, Nova or Cinder directly. A program that
 * only configures the driver needs the main entry, `@hybrid-broker/driver-openstack`.
 *
 * Layers, each importing only those below it: the HTTP client (tokens, retries,
 * deadlines, the request budget), Keystone (session, catalog, endpoints), the
 * Nova and Cinder clients, and the driver over them.
 *
 * @example
 * const auth = createKeystoneAuth(settings, runtime);
 * const http = createHttpClient(runtime, auth);
 * const east = createRegionDriver({ auth, http, runtime, region: 'east', interfaces: ['public'], novaMicroversion: '2.1', lookupTtlMs: 300_000 });
 */
export type {
  CinderClient,
  CinderCreateVolume,
  CinderMetadataChange,
  CinderVolumeQuery,
} from './cinder/cinder-client.js';
export { type CinderVolume, cinderVolumeSchema } from './cinder/cinder-schemas.js';
export {
  type CinderCreateSnapshot,
  type CinderSnapshot,
  type CinderSnapshotClient,
  type CinderSnapshotQuery,
  cinderSnapshotSchema,
} from './cinder/cinder-snapshot-client.js';
export { errorFromResponse, type FailedResponse } from './common/openstack-errors.js';
export { isOpenStackId, type OpenStackIdKind } from './common/openstack-ids.js';
export { type HttpClientOptions, OpenStackHttpClient } from './http/http-client.js';
// A transport may carry a raw exchange beside fetch (as the node:http one does); the client then sends through it.
export {
  type ExchangeControl,
  type ExchangeFn,
  type ExchangeRequest,
  type ExchangeResponse,
  type FetchWithExchange,
  RAW_EXCHANGE,
} from './http/http-exchange.js';
export type { BearerToken, HttpRequest, HttpResponse, TokenProvider } from './http/http-types.js';
export {
  createNodeHttpTransport,
  type NodeHttpTransport,
  type NodeHttpTransportOptions,
} from './http/node-http-transport.js';
export {
  type CatalogEndpoint,
  type CatalogService,
  catalogRegions,
  type EndpointQuery,
  findEndpoint,
  SERVICE_TYPE_ALIASES,
  type ServiceCatalog,
} from './keystone/catalog.js';
export { KeystoneAuth, type KeystoneAuthOptions } from './keystone/keystone-auth.js';
export type { KeystoneToken } from './keystone/keystone-request.js';
export { type EndpointSettings, ServiceEndpoints } from './keystone/service-endpoints.js';
export type { NovaClient, NovaCreateServer } from './nova/nova-client.js';
export {
  type NovaFlavor,
  type NovaServer,
  type NovaVolumeAttachment,
  novaFlavorSchema,
  novaServerSchema,
  novaVolumeAttachmentSchema,
} from './nova/nova-schemas.js';
export { OpenStackDriver, type OpenStackDriverOptions } from './openstack-driver.js';
export {
  createHttpClient,
  createKeystoneAuth,
  createOpenStackDriver,
  createRegionDriver,
  type OpenStackRuntime,
  type RegionDriverOptions,
  withClose,
} from './openstack-stack.js';
export type { NameResolver, NameResolverOptions } from './operations/name-resolver.js';
export type { OpenStackCatalog } from './operations/openstack-catalog.js';
