import type { WatchHint } from '@hybrid-broker/core';

/** Nova's versioned events whose resources a watch follows. */
const NOVA_EVENTS: ReadonlySet<string> = new Set([
  'instance.volume_attach.end',
  'instance.volume_detach.end',
  'instance.delete.end',
  'instance.update',
  'instance.power_off.end',
]);

/** Cinder's events whose volume a watch follows. */
const CINDER_EVENTS: ReadonlySet<string> = new Set([
  'volume.attach.end',
  'volume.detach.end',
  'volume.delete.end',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** oslo's notification time, `2026-12-08 03:40:00.123456` in UTC, as ms since the epoch. */
function changedAt(timestamp: unknown): number | undefined {
  const raw = text(timestamp);
  if (!raw) return undefined;
  const iso = raw.includes('T') ? raw : raw.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The notification inside an AMQP body: messagingv2 wraps it as
 * `{"oslo.version": "2.0", "oslo.message": "<json>"}`; an unwrapped one is taken as it is.
 */
export function unwrapNotification(body: string): Json | undefined {
  let outer: unknown;
  try {
    outer = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(outer)) return undefined;
  const inner = outer['oslo.message'];
  if (typeof inner !== 'string') return outer;
  try {
    const parsed: unknown = JSON.parse(inner);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hints one notification gives: for Nova's versioned events the instance
 * (`nova_object.data.uuid`) and, for a volume attach or detach, the volume (`volume_id`);
 * for Cinder's the volume (`volume_id`). Any other event, or a body that is not one, gives none.
 */
export function hintsOf(body: string): WatchHint[] {
  const message = unwrapNotification(body);
  const event = text(message?.event_type);
  if (!message || !event) return [];
  const at = changedAt(message.timestamp);
  const base = { cause: event, ...(at === undefined ? {} : { changedAt: at }) };
  const payload = isObject(message.payload) ? message.payload : {};
  if (NOVA_EVENTS.has(event)) {
    const data = isObject(payload['nova_object.data']) ? payload['nova_object.data'] : payload;
    const hints: WatchHint[] = [];
    const server = text(data.uuid) ?? text(payload.instance_id);
    if (server) hints.push({ kind: 'server', id: server, ...base });
    const volume = text(data.volume_id);
    if (volume) hints.push({ kind: 'volume', id: volume, ...base });
    return hints;
  }
  if (CINDER_EVENTS.has(event)) {
    const volume = text(payload.volume_id);
    return volume ? [{ kind: 'volume', id: volume, ...base }] : [];
  }
  return [];
}
