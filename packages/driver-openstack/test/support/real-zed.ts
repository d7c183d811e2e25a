import { readFileSync } from 'node:fs';

/** One exchange recorded from a real Zed stack (see ../fixtures/real-zed/README.md). */
export interface Recorded {
  request: { method: string; path: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** Reads fixtures/real-zed/NAME.json. */
export function recorded(name: string): Recorded {
  return JSON.parse(readFileSync(new URL(`../fixtures/real-zed/${name}.json`, import.meta.url), 'utf8'));
}
