import type {
  AttachVolumeRequest,
  CallOptions,
  CreateServerRequest,
  CreateVolumeRequest,
  DeleteServerResult,
  DeleteVolumeResult,
  DetachOptions,
  DetachVolumeRequest,
  DetachVolumeResult,
  Flavor,
  FlavorFilter,
  Image,
  ImageFilter,
  PlatformDriver,
  ReadOptions,
  RebootServerRequest,
  Server,
  ServerFilter,
  ServerRef,
  Volume,
  VolumeAttachment,
  VolumeFilter,
  VolumeRef,
} from '@hybrid-broker/core';
import { OPENSTACK_CAPABILITIES, type ServiceName } from '@hybrid-broker/driver-openstack';
import type { RegionDirectory, RegionHandle } from './region-directory.js';

/**
 * One cascaded cloud as a plain OpenStack PlatformDriver (the cloud's own
 * ids, no region prefix). It looks its region up in the current catalog on
 * every call, so it follows catalog refreshes, and fails with a clear
 * `invalid-request` when the region is gone or lacks the service.
 */
export class RegionView implements PlatformDriver {
  readonly kind = 'openstack';
  readonly capabilities = OPENSTACK_CAPABILITIES;
  readonly #directory: RegionDirectory;
  readonly #region: string;

  constructor(directory: RegionDirectory, region: string) {
    this.#directory = directory;
    this.#region = region;
  }

  /** The region this view drives. */
  get region(): string {
    return this.#region;
  }

  async createServer(request: CreateServerRequest, options?: CallOptions): Promise<Server> {
    return (await this.#handle(['compute'], options)).driver.createServer(request, options);
  }

  async getServer(request: ServerRef, options?: ReadOptions): Promise<Server> {
    return (await this.#handle(['compute'], options)).driver.getServer(request, options);
  }

  async getVolume(request: VolumeRef, options?: ReadOptions): Promise<Volume> {
    return (await this.#handle(['volume'], options)).driver.getVolume(request, options);
  }

  async listServers(filter?: ServerFilter, options?: ReadOptions): Promise<readonly Server[]> {
    return (await this.#handle(['compute'], options)).driver.listServers(filter, options);
  }

  async listVolumes(filter?: VolumeFilter, options?: ReadOptions): Promise<readonly Volume[]> {
    return (await this.#handle(['volume'], options)).driver.listVolumes(filter, options);
  }

  async listImages(filter?: ImageFilter, options?: ReadOptions): Promise<readonly Image[]> {
    return (await this.#handle(['image'], options)).driver.listImages(filter, options);
  }

  async listFlavors(filter?: FlavorFilter, options?: ReadOptions): Promise<readonly Flavor[]> {
    return (await this.#handle(['compute'], options)).driver.listFlavors(filter, options);
  }

  async deleteServer(request: ServerRef, options?: CallOptions): Promise<DeleteServerResult> {
    return (await this.#handle(['compute'], options)).driver.deleteServer(request, options);
  }

  async createVolume(request: CreateVolumeRequest, options?: CallOptions): Promise<Volume> {
    return (await this.#handle(['volume'], options)).driver.createVolume(request, options);
  }

  async deleteVolume(request: VolumeRef, options?: CallOptions): Promise<DeleteVolumeResult> {
    return (await this.#handle(['volume'], options)).driver.deleteVolume(request, options);
  }

  async attachVolume(request: AttachVolumeRequest, options?: CallOptions): Promise<VolumeAttachment> {
    return (await this.#handle(['compute', 'volume'], options)).driver.attachVolume(request, options);
  }

  async detachVolume(request: DetachVolumeRequest, options?: DetachOptions): Promise<DetachVolumeResult> {
    return (await this.#handle(['compute', 'volume'], options)).driver.detachVolume(request, options);
  }

  async startServer(request: ServerRef, options?: CallOptions): Promise<Server> {
    return (await this.#handle(['compute'], options)).driver.startServer(request, options);
  }

  async stopServer(request: ServerRef, options?: CallOptions): Promise<Server> {
    return (await this.#handle(['compute'], options)).driver.stopServer(request, options);
  }

  async rebootServer(request: RebootServerRequest, options?: CallOptions): Promise<Server> {
    return (await this.#handle(['compute'], options)).driver.rebootServer(request, options);
  }

  // The region's own snapshot calls, with the cloud's own ids.
  readonly createSnapshot: Snapshots['createSnapshot'] = async (r, o) =>
    (await this.#volume(o)).createSnapshot(r, o);
  readonly getSnapshot: Snapshots['getSnapshot'] = async (r, o) => (await this.#volume(o)).getSnapshot(r, o);
  readonly listSnapshots: Snapshots['listSnapshots'] = async (f, o) =>
    (await this.#volume(o)).listSnapshots(f, o);
  readonly deleteSnapshot: Snapshots['deleteSnapshot'] = async (r, o) =>
    (await this.#volume(o)).deleteSnapshot(r, o);

  async #volume(options: ReadOptions | undefined) {
    return (await this.#handle(['volume'], options)).driver;
  }

  #handle(needs: readonly ServiceName[], options: ReadOptions | undefined): Promise<RegionHandle> {
    return this.#directory.handle(this.#region, needs, 'region', options?.signal);
  }

  readonly setVolumeMetadata: NonNullable<PlatformDriver['setVolumeMetadata']> = async (r, o) =>
    (await this.#handle(['volume'], o)).driver.setVolumeMetadata(r, o);
  readonly setServerMetadata: NonNullable<PlatformDriver['setServerMetadata']> = async (r, o) =>
    (await this.#handle(['compute'], o)).driver.setServerMetadata(r, o);
}

type Snapshots = Required<
  Pick<PlatformDriver, 'createSnapshot' | 'getSnapshot' | 'listSnapshots' | 'deleteSnapshot'>
>;
