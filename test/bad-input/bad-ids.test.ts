/**
 * Ids with path characters, control characters, wrong types and huge
 * lengths, through every driver against its emulation: each call ends in
 * `invalid-request` naming the field (or, for a printable id, `not-found` /
 * a no-op), and no request leaves with the id unescaped: every URL the driver
 * requested (its `request` events) keeps the id inside one path segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBrokerError, MemoryEventSink, type PlatformDriver } from '../../packages/core/src/index.js';
import { openAwsBed } from '../faults/support/aws-bed.js';
import { openAzureBed } from '../faults/support/azure-bed.js';
import type { FaultBed, Prepared } from '../faults/support/fault-kinds.js';
import { openOpenStackBed } from '../faults/support/openstack-bed.js';

/** Printable ids a cloud may not hold but a caller may send: each must stay one escaped path segment. */
const PATHLIKE = ['../../v3/auth/tokens', 'a/b', 'a%2Fb', '%2e%2e', 'x?y=1#z', 'vol ume', '../x'];
/** Dot segments: `encodeURIComponent` leaves them as they are, and URL resolution then climbs a level. */
const DOTS = ['.', '..'];
/** Path segments that name a collection, after which a resource id must follow. */
const COLLECTIONS = new Set(['servers', 'volumes', 'os-volume_attachments', 'virtualMachines', 'disks']);
/** Ids refused before any request, with the field they are refused for. */
const INVALID: readonly [unknown, string][] = [
  ['', 'empty'],
  ['x'.repeat(1025), 'huge'],
  ['a\u0000b', 'control character'],
  ['a\nb', 'newline'],
  [42, 'number'],
  [null, 'null'],
  [{ id: 'x' }, 'object'],
];

type Call = (driver: PlatformDriver, good: Prepared, bad: unknown) => Promise<unknown>;
const wait = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 300 };
/** Each operation with the bad id in one field, the others good. */
const CALLS: readonly [string, string, Call][] = [
  ['getServer', 'serverId', (d, _g, bad) => d.getServer({ serverId: bad as string })],
  ['getVolume', 'volumeId', (d, _g, bad) => d.getVolume({ volumeId: bad as string })],
  ['deleteServer', 'serverId', (d, _g, bad) => d.deleteServer({ serverId: bad as string }, { wait })],
  [
    'attachVolume',
    'serverId',
    (d, g, bad) => d.attachVolume({ serverId: bad as string, volumeId: g.volumeId }, { wait }),
  ],
  [
    'attachVolume',
    'volumeId',
    (d, g, bad) => d.attachVolume({ serverId: g.serverId, volumeId: bad as string }, { wait }),
  ],
  [
    'detachVolume',
    'volumeId',
    (d, g, bad) => d.detachVolume({ serverId: g.serverId, volumeId: bad as string }, { wait }),
  ],
];

/** Per-driver facts: ids in URL paths (not in a form body, as EC2's). */
interface BadIdOptions {
  readonly idsInPath: boolean;
}

function describeBadIds(
  name: string,
  open: (events: MemoryEventSink) => Promise<FaultBed>,
  options: BadIdOptions,
): void {
  describe(`${name}: bad ids`, () => {
    const events = new MemoryEventSink();
    const sendsEscaped = async (ids: readonly string[], send: (bad: string) => Promise<unknown>) => {
      for (const bad of ids) {
        events.clear();
        const outcome = await send(bad).then(
          (value) => value,
          (e: unknown) => e,
        );
        if (isBrokerError(outcome)) expect(['not-found', 'invalid-request']).toContain(outcome.code);
        // A delete or detach of something that is not there is a no-op, never an action on something else.
        else {
          const done = outcome as { deleted?: boolean; detached?: boolean };
          expect(done.deleted === false || done.detached === false, `${bad} acted on something`).toBe(true);
        }
        if (!options.idsInPath) continue;
        for (const request of events.ofType('request')) {
          // The URL as sent (already resolved): a collection is always followed by a non-empty id.
          const path = new URL(request.url).pathname;
          if (path.startsWith('/v3/auth/')) continue; // the driver's own Keystone login
          const segments = path.split('/');
          const at = segments.findIndex((s) => COLLECTIONS.has(s));
          expect(at, `${bad} -> ${request.url}`).toBeGreaterThanOrEqual(0);
          expect(segments[at + 1] ?? '', `${bad} -> ${request.url}`).not.toBe('');
        }
      }
    };
    let bed: FaultBed;
    let good: Prepared;
    beforeAll(async () => {
      bed = await open(events);
      good = await bed.prepare('attachVolume');
    });
    afterAll(() => bed.stop());

    for (const [op, field, call] of CALLS) {
      it(`${op} refuses a ${field} that is empty, huge, has control characters or is not a string, naming ${field}`, async () => {
        for (const [bad] of INVALID) {
          events.clear();
          const error = await call(bed.driver, good, bad).catch((e: unknown) => e);
          expect(isBrokerError(error, 'invalid-request') && error.field).toBe(field);
          expect(events.ofType('request')).toEqual([]);
        }
      });

      it(`${op} sends a ${field} with path characters only inside one escaped path segment`, () =>
        sendsEscaped(PATHLIKE, (bad) => call(bed.driver, good, bad)));

      it(`${op} refuses a ${field} of '.' or '..' (it would climb the URL), before any request`, async () => {
        for (const bad of DOTS) {
          events.clear();
          const error = await call(bed.driver, good, bad).catch((e: unknown) => e);
          expect(isBrokerError(error, 'invalid-request') && error.field).toBe(field);
          expect(events.ofType('request')).toEqual([]);
        }
      });
    }
  });
}

describeBadIds('openstack', (events) => openOpenStackBed({ services: { events } }), {
  idsInPath: true,
});
describeBadIds('cascading', (events) => openOpenStackBed({ cascading: true, services: { events } }), {
  idsInPath: true,
});
describeBadIds('aws', (events) => openAwsBed({ services: { events } }), { idsInPath: false });
describeBadIds('azure', (events) => openAzureBed({ services: { events } }), {
  idsInPath: true,
});
