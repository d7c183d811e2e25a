import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Source of randomness for ids, tokens and probabilistic faults.
 * Seeded, it replays the same sequence, so a failing test run can be reproduced.
 */
export interface SimRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A version-4 UUID string. */
  uuid(): string;
  /** `n` random bytes as lowercase hex. */
  hex(bytes: number): string;
}

/** Random from `node:crypto`, or a mulberry32 stream when `seed` is given. */
export function createRandom(seed?: number): SimRandom {
  if (seed === undefined) {
    return {
      next: () => randomBytes(4).readUInt32BE(0) / 0x1_0000_0000,
      uuid: () => randomUUID(),
      hex: (bytes) => randomBytes(bytes).toString('hex'),
    };
  }
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const hex = (bytes: number): string => {
    let out = '';
    for (let i = 0; i < bytes; i++) out += (nextUint32() & 0xff).toString(16).padStart(2, '0');
    return out;
  };
  return {
    next: () => nextUint32() / 0x1_0000_0000,
    hex,
    uuid: () => {
      const h = hex(16);
      const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
