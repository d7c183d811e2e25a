import { describe, expect, it } from 'vitest';
import { raceWinner, settleCreateRace } from '../src/driver-kit.js';

describe('raceWinner', () => {
  it('keeps the oldest created, then the lowest id, in any listing order', () => {
    const older = { id: 'b', created: '2026-12-07T10:00:00Z' };
    const tiedLow = { id: 'a', created: '2026-12-07T10:00:01Z' };
    const tiedHigh = { id: 'c', created: '2026-12-07T10:00:01Z' };
    expect(raceWinner([tiedHigh, older, tiedLow])).toBe(older);
    expect(raceWinner([tiedHigh, tiedLow])).toBe(tiedLow);
    expect(raceWinner([tiedLow, tiedHigh])).toBe(tiedLow);
  });

  it('ranks a candidate without a readable time after every dated one', () => {
    expect(raceWinner([{ id: 'a' }, { id: 'z', created: '2026-12-07T10:00:00Z' }])?.id).toBe('z');
    expect(raceWinner([{ id: 'b', created: 'soon' }, { id: 'a' }])?.id).toBe('a');
    expect(raceWinner([])).toBeUndefined();
  });
});

describe('settleCreateRace', () => {
  const winner = { id: 'w', created: '2026-12-07T10:00:00Z' };
  const mine = { id: 'm', created: '2026-12-07T10:00:00Z' };

  it('a loser deletes its own and returns the winner', async () => {
    const removed: string[] = [];
    const kept = await settleCreateRace('m', {
      listByKey: async () => [mine, winner],
      read: async () => mine,
      remove: async (id) => void removed.push(id),
    });
    expect(kept).toBe(mine); // 'm' < 'w' at the same time: the racer's own wins here
    expect(removed).toEqual([]);
    const other = await settleCreateRace('w', {
      listByKey: async () => [mine, winner],
      read: async () => winner,
      remove: async (id) => void removed.push(id),
    });
    expect(other).toBe(mine);
    expect(removed).toEqual(['w']);
  });

  it('counts its own resource when the list does not show it yet', async () => {
    const late = { id: 'a', created: '2026-12-07T10:00:05Z' };
    const removed: string[] = [];
    const kept = await settleCreateRace('a', {
      listByKey: async () => [winner],
      read: async () => late,
      remove: async (id) => void removed.push(id),
    });
    expect(kept).toBe(winner);
    expect(removed).toEqual(['a']);
  });
});
