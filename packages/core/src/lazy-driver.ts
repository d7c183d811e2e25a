import {
  type DriverCapabilities,
  type Platform,
  type PlatformDriver,
  resolveCapabilities,
} from './driver.js';
import type { AnyDriverDefinition } from './driver-definition.js';
import { BrokerError, toBrokerError } from './errors.js';
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
  moveVolume: Platform['moveVolume'] = (r, o) => this.instance().then((d) => d.moveVolume(r, o));
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
