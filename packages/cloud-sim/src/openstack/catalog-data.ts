import { stableId } from './identity.js';

/** A Nova flavor. */
export interface Flavor {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly ram: number;
  readonly disk: number;
}

/** A Glance image. */
export interface Image {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly minDisk: number;
  readonly minRam: number;
  readonly diskFormat: string;
  readonly created: number;
}

/** A Neutron network a server can be placed on. */
export interface Network {
  readonly id: string;
  readonly name: string;
}

/** The flavors every region offers (DevStack's m1 set). */
export const DEFAULT_FLAVORS: readonly Flavor[] = [
  { id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { id: '3', name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
  { id: '4', name: 'm1.large', vcpus: 4, ram: 8192, disk: 80 },
];

const IMAGE_EPOCH = Date.UTC(2024, 0, 15, 9, 30);

/** The images every region offers: a test image and the storage-gateway client/server images. */
export const DEFAULT_IMAGES: readonly Image[] = [
  { name: 'cirros-0.6.2-x86_64-disk', size: 21_430_272, minDisk: 0, minRam: 0, diskFormat: 'qcow2' },
  { name: 'sg-client', size: 1_073_741_824, minDisk: 10, minRam: 1024, diskFormat: 'qcow2' },
  { name: 'sg-server', size: 1_073_741_824, minDisk: 10, minRam: 2048, diskFormat: 'qcow2' },
].map((i) => ({ ...i, id: uuidFrom(`image:${i.name}`), created: IMAGE_EPOCH }));

/** The networks servers can ask for. */
export const DEFAULT_NETWORKS: readonly Network[] = [
  { id: uuidFrom('network:private'), name: 'private' },
  { id: uuidFrom('network:sg-data'), name: 'sg-data' },
];

/** A UUID-formatted stable id from a label. */
export function uuidFrom(label: string): string {
  const h = stableId(label);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
