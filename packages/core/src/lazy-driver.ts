import { type DriverCapabilities, type PlatformDriver, resolveCapabilities } from './driver.js';
import type { AnyDriverDefinition } from './driver-definition.js';
import { BrokerError, toBrokerError } from './errors.js';

/**
 * A PlatformDriver created on its first call (single flight: concurrent first
 * calls create it once). A failed creation is not cached, so a later call can
 * try again.
 */
export class LazyDriver implements PlatformDriver {
  readonly kind: string;
  readonly capabilities: DriverCapabilities;
  #instance: Promise<PlatformDriver> | undefined;
  readonly #create: () => Promise<PlatformDriver>;

  constructor(definition: AnyDriverDefinition, create: () => Promise<PlatformDriver>) {
    this.kind = definition.kind;
    this.capabilities = resolveCapabilities(definition.capabilities);
    this.#create = create;
  }

  /** The created driver. */
  instance(): Promise<PlatformDriver> {
    if (!this.#instance) {
      this.#instance = this.#create().catch((error: unknown) => {
        this.#instance = undefined;
        throw toBrokerError(error, `creating the ${this.kind} driver failed`);
      });
    }
    return this.#instance;
  }

  createServer: PlatformDriver['createServer'] = async (r, o) => (await this.instance()).createServer(r, o);
  attachVolume: PlatformDriver['attachVolume'] = async (r, o) => (await this.instance()).attachVolume(r, o);
  detachVolume: PlatformDriver['detachVolume'] = async (r, o) => (await this.instance()).detachVolume(r, o);
  getServer: PlatformDriver['getServer'] = async (r, o) => (await this.instance()).getServer(r, o);
  getVolume: PlatformDriver['getVolume'] = async (r, o) => (await this.instance()).getVolume(r, o);
  deleteServer: PlatformDriver['deleteServer'] = async (r, o) => (await this.instance()).deleteServer(r, o);

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
