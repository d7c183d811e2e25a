import type { Flavor, Image } from '@hybrid-broker/core';
import type { CommandResult } from './render.js';
import { table } from './render-lists.js';

/** `image list`: one line an image; `--json` prints the images as the driver returned them. */
export function renderImageList(images: readonly Image[]): CommandResult {
  const rows = images.map((i) => [
    i.id,
    i.name || '-',
    i.status,
    `${i.minDiskGiB} GiB`,
    `${i.minRamMiB} MiB`,
    i.region ?? '-',
  ]);
  return {
    value: images,
    text: table(['ID', 'NAME', 'STATUS', 'MIN DISK', 'MIN RAM', 'REGION'], rows, '(no images)'),
  };
}

/** `flavor list`: one line a flavor. */
export function renderFlavorList(flavors: readonly Flavor[]): CommandResult {
  const rows = flavors.map((f) => [
    f.id,
    f.name,
    String(f.vcpus),
    `${f.ramMiB} MiB`,
    `${f.diskGiB} GiB`,
    f.region ?? '-',
  ]);
  return {
    value: flavors,
    text: table(['ID', 'NAME', 'VCPUS', 'RAM', 'DISK', 'REGION'], rows, '(no flavors)'),
  };
}
