import type { z } from 'zod';
import { z as zod } from 'zod';

const addressSchema = zod.looseObject({
  addr: zod.string(),
  version: zod.number(),
  'OS-EXT-IPS:type': zod.string().optional(),
});

/** A Nova server as `GET /servers/{id}` and `/servers/detail` return it (fields the broker reads). */
// Tolerant: only the fields the broker reads are checked, so one odd unused field (a string
// `fault.code`, as some Nova versions write it) cannot fail a whole read.
export const novaServerSchema = zod.looseObject({
  // Older bodies (and some proxies) send a numeric id; the broker's ids are strings.
  id: zod.union([zod.string(), zod.number().transform(String)]),
  name: zod.string().default(''),
  status: zod.string(),
  'OS-EXT-AZ:availability_zone': zod.string().nullish(),
  'OS-EXT-STS:task_state': zod.string().nullish(),
  addresses: zod.record(zod.string(), zod.array(addressSchema)).nullish(),
  image: zod.union([zod.looseObject({ id: zod.string() }), zod.string()]).nullish(),
  flavor: zod.looseObject({ id: zod.string().optional(), original_name: zod.string().optional() }).nullish(),
  metadata: zod.record(zod.string(), zod.string()).nullish(),
  fault: zod.looseObject({ message: zod.string().optional() }).nullish(),
  created: zod.string().optional(),
  // sha224 of project and host: equal within a project means the same host ("" before scheduling).
  hostId: zod.string().nullish(),
});

/** A Nova server body. */
export type NovaServer = z.infer<typeof novaServerSchema>;

/** A Nova flavor (`/flavors/detail`). */
export const novaFlavorSchema = zod.looseObject({
  id: zod.string(),
  name: zod.string(),
  vcpus: zod.number().nullish(),
  ram: zod.number().nullish(),
  disk: zod.number().nullish(),
});

/** A Nova flavor body. */
export type NovaFlavor = z.infer<typeof novaFlavorSchema>;

/** Nova's answer to an attach (`POST /servers/{id}/os-volume_attachments`). */
export const novaVolumeAttachmentSchema = zod.looseObject({
  id: zod.string().optional(),
  device: zod.string().nullish(),
  serverId: zod.string().optional(),
  volumeId: zod.string(),
  attachment_id: zod.string().optional(),
});

/** A Nova volume attachment body. */
export type NovaVolumeAttachment = z.infer<typeof novaVolumeAttachmentSchema>;
