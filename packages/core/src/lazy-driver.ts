import {
  type DriverCapabilities,
  type Platform,
  type PlatformDriver,
  resolveCapabilities,
} from './driver.js';
import type { AnyDriverDefinition } from './driver-definition.js';
import { BrokerError, toBrokerError } from './errors.js';
import type { ListPage } from './list-paging.js';
import { deferredWatch } from './watch/deferred-watch.js';

/**
 * A PlatformDriver created on its first call (single flight: concurrent first
 * calls create it once). A failed creation is not cached, so a later call can
 * try again.
 */
export class LazyDriver implements Platform {
  readonly kind: string;
  readonly capabilities: DriverCapabilities;
  #instance: Promise<Platform> | undefined;
  // The created driver once its creation settled: calls then go straight to it, without an await.
  #ready: Platform | undefined;
  readonly #create: () => Promise<Platform>;

  constructor(definition: AnyDriverDefinition, create: () => Promise<Platform>) {
    this.kind = definition.kind;
    this.capabilities = resolveCapabilities(definition.capabilities);
    this.#create = create;
  }

  /** The created driver. */
  instance(): Promise<Platform> {
    if (!this.#instance) {
      this.#instance = this.#create().then(
        (driver) => {
          this.#ready = driver;
          return driver;
        },
        (error: unknown) => {
          this.#instance = undefined;
          throw toBrokerError(error, `creating the ${this.kind} driver failed`);
        },
      );
    }
    return this.#instance;
  }

  createServer: PlatformDriver['createServer'] = (r, o) =>
    this.#ready ? this.#ready.createServer(r, o) : this.instance().then((d) => d.createServer(r, o));
  attachVolume: PlatformDriver['attachVolume'] = (r, o) =>
    this.#ready ? this.#ready.attachVolume(r, o) : this.instance().then((d) => d.attachVolume(r, o));
  detachVolume: PlatformDriver['detachVolume'] = (r, o) =>
    this.#ready ? this.#ready.detachVolume(r, o) : this.instance().then((d) => d.detachVolume(r, o));
  getServer: PlatformDriver['getServer'] = (r, o) =>
    this.#ready ? this.#ready.getServer(r, o) : this.instance().then((d) => d.getServer(r, o));
  getVolume: PlatformDriver['getVolume'] = (r, o) =>
    this.#ready ? this.#ready.getVolume(r, o) : this.instance().then((d) => d.getVolume(r, o));
  deleteServer: PlatformDriver['deleteServer'] = (r, o) =>
    this.#ready ? this.#ready.deleteServer(r, o) : this.instance().then((d) => d.deleteServer(r, o));

  listServers: Platform['listServers'] = (f, o) => this.instance().then((d) => d.listServers(f, o));
  listVolumes: Platform['listVolumes'] = (f, o) => this.instance().then((d) => d.listVolumes(f, o));
  iterateServers: Platform['iterateServers'] = (f, o) =>
    lazyIterable(
      () => this.instance(),
      (d) => d.iterateServers(f, o),
    );
  iterateVolumes: Platform['iterateVolumes'] = (f, o) =>
    lazyIterable(
      () => this.instance(),
      (d) => d.iterateVolumes(f, o),
    );
  // Always present, since the driver is not known yet: one without page reads answers its full list as one page.
  listServersPage: NonNullable<Platform['listServersPage']> = (f, o) =>
    this.instance().then((d) => (d.listServersPage ? d.listServersPage(f, o) : onePage(d.listServers(f, o))));
  listVolumesPage: NonNullable<Platform['listVolumesPage']> = (f, o) =>
    this.instance().then((d) => (d.listVolumesPage ? d.listVolumesPage(f, o) : onePage(d.listVolumes(f, o))));
  listImages: Platform['listImages'] = (f, o) => this.instance().then((d) => d.listImages(f, o));
  listFlavors: Platform['listFlavors'] = (f, o) => this.instance().then((d) => d.listFlavors(f, o));
  moveVolume: Platform['moveVolume'] = (r, o) => this.instance().then((d) => d.moveVolume(r, o));
  createVolume: Platform['createVolume'] = (r, o) => this.instance().then((d) => d.createVolume(r, o));
  deleteVolume: Platform['deleteVolume'] = (r, o) => this.instance().then((d) => d.deleteVolume(r, o));
  startServer: Platform['startServer'] = (r, o) => this.instance().then((d) => d.startServer(r, o));
  stopServer: Platform['stopServer'] = (r, o) => this.instance().then((d) => d.stopServer(r, o));
  rebootServer: Platform['rebootServer'] = (r, o) => this.instance().then((d) => d.rebootServer(r, o));
  createSnapshot: Platform['createSnapshot'] = (r, o) => this.instance().then((d) => d.createSnapshot(r, o));
  getSnapshot: Platform['getSnapshot'] = (r, o) => this.instance().then((d) => d.getSnapshot(r, o));
  listSnapshots: Platform['listSnapshots'] = (f, o) => this.instance().then((d) => d.listSnapshots(f, o));
  deleteSnapshot: Platform['deleteSnapshot'] = (r, o) => this.instance().then((d) => d.deleteSnapshot(r, o));
  setVolumeMetadata: Platform['setVolumeMetadata'] = (r, o) =>
    this.instance().then((d) => d.setVolumeMetadata(r, o));
  setServerMetadata: Platform['setServerMetadata'] = (r, o) =>
    this.instance().then((d) => d.setServerMetadata(r, o));
  watch: Platform['watch'] = (s, o) =>
    this.#ready ? this.#ready.watch(s, o) : deferredWatch(this.instance(), s, o);

  async listRegions(options?: Parameters<NonNullable<PlatformDriver['listRegions']>>[0]) {
    const driver = await this.instance();
    if (!driver.listRegions) {
      throw new BrokerError('invalid-request', `the ${this.kind} driver does not span regions`, {
        field: 'platform',
      });
    }
    return driver.listRegions(options);
  }

  async close(): Promise<void> {
    if (!this.#instance) return;
    const driver = await this.#instance.catch(() => undefined);
    await driver?.close?.();
  }
}

/** An iterable over the created driver's: the creation waits for the first step. */
async function* lazyIterable<T>(
  instance: () => Promise<Platform>,
  iterate: (driver: Platform) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  yield* iterate(await instance());
}

/** A whole list as a last page. */
async function onePage<T>(all: Promise<readonly T[]>): Promise<ListPage<T>> {
  return { items: await all };
}
