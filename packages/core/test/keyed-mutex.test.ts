import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../src/driver-kit.js';

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and tasks of other keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await delay(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([
      mutex.run('s1', task('a', 20)),
      mutex.run('s1', task('b', 1)),
      mutex.run('s2', task('c', 1)),
    ]);
    expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start b'));
    expect(log.indexOf('start c')).toBeLessThan(log.indexOf('end a'));
    expect(mutex.size).toBe(0);
  });

  it('releases the key when a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('s', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('s', async () => 'next')).resolves.toBe('next');
    expect(mutex.size).toBe(0);
  });
});
