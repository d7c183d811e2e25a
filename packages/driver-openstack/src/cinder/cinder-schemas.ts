import type { z } from 'zod';
import { z as zod } from 'zod';

/** One attachment as a Cinder volume lists it. */
export const cinderAttachmentSchema = zod.looseObject({
  server_id: zod.string(),
  attachment_id: zod.string().optional(),
  id: zod.string().optional(),
  volume_id: zod.string().optional(),
  device: zod.string().nullish(),
  host_name: zod.string().nullish(),
  attached_at: zod.string().nullish(),
});

/** A Cinder volume as `GET /volumes/{id}` returns it (fields the broker reads). */
export const cinderVolumeSchema = zod.looseObject({
  id: zod.string(),
  name: zod.string().nullish(),
  status: zod.string(),
  size: zod.number(),
  availability_zone: zod.string().nullish(),
  multiattach: zod.boolean().nullish(),
  metadata: zod.record(zod.string(), zod.string()).nullish(),
  attachments: zod.array(cinderAttachmentSchema).default([]),
  created_at: zod.string().nullish(),
  volume_type: zod.string().nullish(),
});

/** A Cinder volume body. */
export type CinderVolume = z.infer<typeof cinderVolumeSchema>;
