// Small predicates the hand-written body guards of Nova and Cinder share.

/** A JSON object. */
export type Rec = Record<string, unknown>;
/** True for a JSON object (not an array, not null). */
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** True for an absent field or a string. */
export const optStr = (v: unknown) => v === undefined || typeof v === 'string';
/** True for an absent or null field, or a string. */
export const nullStr = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** True for an absent or null field, or a map of strings (metadata). */
export function isStringMap(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isRec(v)) return false;
  for (const value of Object.values(v)) if (typeof value !== 'string') return false;
  return true;
}
