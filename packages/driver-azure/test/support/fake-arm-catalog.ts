// The fake ARM's read-only catalog: the VM sizes of the location and one marketplace offer.

const SIZES = [
  { name: 'Standard_B1s', numberOfCores: 1, memoryInMB: 1024, resourceDiskSizeInMB: 4096 },
  { name: 'Standard_B2s', numberOfCores: 2, memoryInMB: 4096, resourceDiskSizeInMB: 8192 },
];
const SKUS: Readonly<Record<string, readonly string[]>> = { '22_04-lts-gen2': ['22.04.202402140'] };
const OFFER = /\/publishers\/canonical\/artifacttypes\/vmimage\/offers\/0001-com-ubuntu-server-jammy\/skus$/i;
const VERSIONS =
  /\/publishers\/canonical\/artifacttypes\/vmimage\/offers\/0001-com-ubuntu-server-jammy\/skus\/([^/]+)\/versions$/i;

/** The fake's reply to a catalog GET, or undefined for any other request. */
export function catalogReply(method: string, path: string): { status: number; body: unknown } | undefined {
  if (method !== 'GET') return undefined;
  if (/\/locations\/[^/]+\/vmSizes$/i.test(path)) return { status: 200, body: { value: SIZES } };
  if (OFFER.test(path)) return { status: 200, body: Object.keys(SKUS).map((name) => ({ name, id: name })) };
  const sku = VERSIONS.exec(path)?.[1];
  if (sku !== undefined) {
    const versions = SKUS[decodeURIComponent(sku)] ?? [];
    return { status: 200, body: versions.map((name) => ({ name, id: name })) };
  }
  return undefined;
}
