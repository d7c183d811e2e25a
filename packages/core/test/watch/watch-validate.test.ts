import { describe, expect, it } from 'vitest';
import { createWatch } from '../../src/watch/create-watch.js';
import type { WatchOptions, WatchSelector } from '../../src/watch/watch-types.js';
import { manualClock } from '../support/manual-clock.js';
import { fakeLists } from './fake-lists.js';

function fieldOf(selector: unknown, options?: unknown): string | undefined {
  try {
    createWatch(
      fakeLists().lists,
      selector as WatchSelector,
      options as WatchOptions,
      manualClock(0),
    ).close();
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid-request' });
    return (error as { field?: string }).field;
  }
  return undefined;
}

describe('watch input', () => {
  it('names the field of a bad selector', () => {
    expect(fieldOf(undefined)).toBe('selector');
    expect(fieldOf({})).toBe('selector');
    expect(fieldOf({ disks: {} })).toBe('selector.disks');
    expect(fieldOf({ volumes: 'all' })).toBe('selector.volumes');
    expect(fieldOf({ volumes: { ids: 'v1' } })).toBe('selector.volumes.ids');
    expect(fieldOf({ servers: { ids: ['s1', ''] } })).toBe('selector.servers.ids[1]');
    expect(fieldOf({ volumes: { ids: ['v1'], name: 'x' } })).toBe('selector.volumes');
    expect(fieldOf({ volumes: { status: 'sleeping' } })).toMatch(/^selector\.volumes\.status/);
    expect(fieldOf({ servers: { idempotencyKey: 'k' } })).toBe('selector.servers.idempotencyKey');
  });

  it('names the field of a bad option', () => {
    const all = { volumes: {} };
    expect(fieldOf(all, { pollMs: 0 })).toBe('options.pollMs');
    expect(fieldOf(all, { pollMs: 5000, resyncMs: 1000 })).toBe('options.resyncMs');
    expect(fieldOf(all, { source: 'smoke' })).toBe('options.source');
    expect(fieldOf(all, { source: 'notifications' })).toBe('options.source');
    expect(fieldOf(all, { since: 'nonsense' })).toBe('options.since');
    expect(fieldOf(all, { since: 'w1.%%%' })).toBe('options.since');
  });

  it('takes every good form', () => {
    expect(
      fieldOf({ volumes: { ids: [] }, servers: { metadata: { a: 'b' } } }, { source: 'auto' }),
    ).toBeUndefined();
    expect(fieldOf({ servers: {} }, { source: 'poll', resyncMs: 60_000, pollMs: 500 })).toBeUndefined();
  });
});
