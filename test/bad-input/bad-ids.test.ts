/**
 * Ids with path characters, control characters, wrong types and huge
 * lengths, through every driver against its emulation. Each is held to its
 * cloud's id grammar (EC2 `i-`/`vol-` ids, Nova/Cinder UUIDs, Azure resource
 * names and ARM ids, cascading `<region>:<id>`) before anything is sent: a
 * malformed id ends in `invalid-request` naming the field, never `not-found`
 * or a no-op (`deleteServer({ serverId: '../x' })` must not read as "already
 * deleted"). A well-formed id of nothing is `not-found` or a no-op, and every
 * URL the driver requested for it keeps the id inside one path segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBrokerError, MemoryEventSink, type PlatformDriver } from '../../packages/core/src/index.js';
import { openAwsBed } from '../faults/support/aws-bed.js';
import { openAzureBed } from '../faults/support/azure-bed.js';
import type { FaultBed, Prepared } from '../faults/support/fault-kinds.js';
import { openOpenStackBed } from '../faults/support/openstack-bed.js';

/** Printable ids no cloud's grammar holds: path characters, query, blanks, SQL, unicode. */
const MALFORMED = [
  '../../v3/auth/tokens',
  'a/b',
  'a%2Fb',
  '%2e%2e',
  'vol-%2e%2e',
  'x?y=1#z',
  'vol ume',
  '../x',
  'i-123 OR 1=1',
  'vol-\u00e9t\u00e9',
  'srv-\uD83D\uDE00',
];
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

/** Per-driver facts. */
interface BadIdOptions {
  /** Ids in URL paths (not in a form body, as EC2's). */
  readonly idsInPath: boolean;
  /** Well-formed ids of nothing, from the driver's ids of things that exist. */
  readonly missing: (good: Prepared) => Prepared;
}

const UUID_OF_NOTHING = {
  serverId: 'a0000000-0000-4000-8000-00000000dead',
  volumeId: 'a0000000-0000-4000-8000-00000000beef',
};

function describeBadIds(
  name: string,
  open: (events: MemoryEventSink) => Promise<FaultBed>,
  options: BadIdOptions,
): void {
  describe(`${name}: bad ids`, () => {
    const events = new MemoryEventSink();
    /** A well-formed id of nothing: `not-found` or a no-op, and sent only inside one path segment. */
    const missingIsVerdict = async (send: () => Promise<unknown>) => {
      events.clear();
      const outcome = await send().then(
        (value) => value,
        (e: unknown) => e,
      );
      if (isBrokerError(outcome)) expect(outcome.code).toBe('not-found');
      // A delete or detach of something that is not there is a no-op, never an action on something else.
      else {
        const done = outcome as { deleted?: boolean; detached?: boolean };
        expect(done.deleted === false || done.detached === false, 'acted on something').toBe(true);
      }
      if (!options.idsInPath) return;
      for (const request of events.ofType('request')) {
        // The URL as sent (already resolved): a collection is always followed by a non-empty id.
        const path = new URL(request.url).pathname;
        if (path.startsWith('/v3/auth/')) continue; // the driver's own Keystone login
        const segments = path.split('/');
        const at = segments.findIndex((s) => COLLECTIONS.has(s));
        expect(at, request.url).toBeGreaterThanOrEqual(0);
        expect(segments[at + 1] ?? '', request.url).not.toBe('');
      }
    };
    /** Refused as `invalid-request` naming `field`, with no request sent (a Keystone login aside). */
    const refusedBeforeSending = async (field: string, bad: unknown, send: () => Promise<unknown>) => {
      events.clear();
      const error = await send().catch((e: unknown) => e);
      expect(isBrokerError(error, 'invalid-request') && error.field, JSON.stringify(bad)).toBe(field);
      const sent = events.ofType('request').filter((r) => !new URL(r.url).pathname.startsWith('/v3/auth/'));
      expect(sent, JSON.stringify(bad)).toEqual([]);
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
        for (const [bad] of INVALID)
          await refusedBeforeSending(field, bad, () => call(bed.driver, good, bad));
      });

      it(`${op} refuses a ${field} outside the cloud's id grammar (path characters, blanks, unicode), before any request`, async () => {
        for (const bad of MALFORMED)
          await refusedBeforeSending(field, bad, () => call(bed.driver, good, bad));
      });

      it(`${op} refuses a ${field} of '.' or '..' (it would climb the URL), before any request`, async () => {
        for (const bad of DOTS) await refusedBeforeSending(field, bad, () => call(bed.driver, good, bad));
      });

      it(`${op} answers a well-formed ${field} of nothing with not-found or a no-op`, () => {
        const missing = options.missing(good) as unknown as Record<string, string>;
        return missingIsVerdict(() => call(bed.driver, good, missing[field]));
      });
    }

    it('deleteServer of a malformed id rejects; it never resolves { deleted: false }', async () => {
      const outcome = await bed.driver.deleteServer({ serverId: '../x' }, { wait }).then(
        (value) => value,
        (e: unknown) => e,
      );
      expect(isBrokerError(outcome, 'invalid-request') && outcome.field).toBe('serverId');
    });
  });
}

describeBadIds('openstack', (events) => openOpenStackBed({ services: { events } }), {
  idsInPath: true,
  missing: () => UUID_OF_NOTHING,
});
describeBadIds('cascading', (events) => openOpenStackBed({ cascading: true, services: { events } }), {
  idsInPath: true,
  // Prefixed with the region of the ids that exist, so no search over regions is needed.
  missing: (good) => {
    const region = good.serverId.slice(0, good.serverId.indexOf(':'));
    return {
      serverId: `${region}:${UUID_OF_NOTHING.serverId}`,
      volumeId: `${region}:${UUID_OF_NOTHING.volumeId}`,
    };
  },
});
describeBadIds('aws', (events) => openAwsBed({ services: { events } }), {
  idsInPath: false,
  missing: () => ({ serverId: 'i-0000000000000dead', volumeId: 'vol-0000000000000beef' }),
});
describeBadIds('azure', (events) => openAzureBed({ services: { events } }), {
  idsInPath: true,
  missing: () => ({ serverId: 'vm-of-nothing', volumeId: 'disk-of-nothing' }),
});
