import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hintsOf } from '../src/notifications/notification-hints.js';
import { recordedBody } from './support/fake-amqp.js';

const DIR = join(import.meta.dirname, 'fixtures', 'notifications');
const SERVER = '3702e0e8-ea97-4d81-a6a3-e53dd794b523';
const VOLUME = 'f85f5d20-8b91-4ed8-8361-0a4404b411d8';

describe('notification hints (bodies recorded from the real stack)', () => {
  it.each([
    ['nova-instance.volume_attach.end.json', [`server ${SERVER}`, `volume ${VOLUME}`]],
    ['nova-instance.volume_detach.end.json', [`server ${SERVER}`, `volume ${VOLUME}`]],
    ['nova-instance.delete.end.json', [`server ${SERVER}`]],
    ['nova-instance.update.reset-to-error.json', [`server ${SERVER}`]],
    ['nova-instance.power_off.end.json', [`server ${SERVER}`]],
    ['cinder-volume.attach.end.json', [`volume ${VOLUME}`]],
    ['cinder-volume.detach.end.json', [`volume ${VOLUME}`]],
    ['cinder-volume.delete.end.json', [`volume ${VOLUME}`]],
    ['cinder-volume.create.end.json', []],
    ['nova-instance.create.end.json', []],
    ['nova-scheduler.select_destinations.end.json', []],
  ])('%s names %j', (name, expected) => {
    const hints = hintsOf(recordedBody(name));
    expect(hints.map((h) => `${h.kind} ${h.id}`)).toEqual(expected);
  });

  it('carries the event name and the change time of the message (UTC)', () => {
    const [hint] = hintsOf(recordedBody('cinder-volume.attach.end.json'));
    expect(hint).toEqual({
      kind: 'volume',
      id: VOLUME,
      cause: 'volume.attach.end',
      changedAt: Date.parse('2026-12-08T03:43:21.181Z'),
    });
  });

  it('gives nothing for a body that is not a notification', () => {
    expect(hintsOf('not json')).toEqual([]);
    expect(hintsOf('{"oslo.version":"2.0","oslo.message":"{broken"}')).toEqual([]);
    expect(hintsOf('[1,2]')).toEqual([]);
    expect(hintsOf('{"event_type":"volume.delete.end","payload":{}}')).toEqual([]);
  });

  it('covers every recorded body (a new one needs a case above)', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.json'))).toHaveLength(11);
  });
});

describe('amqplib is loaded only when notifications are used', () => {
  it('no source file imports it statically', () => {
    const src = join(import.meta.dirname, '..', 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const statics = files.filter((f) =>
      /^import\s+(?!type\b)[^;]*from\s+'amqplib'/m.test(readFileSync(join(src, f), 'utf8')),
    );
    expect(statics).toEqual([]);
    expect(readFileSync(join(src, 'notifications', 'amqp-link.ts'), 'utf8')).toContain("import('amqplib')");
  });
});
