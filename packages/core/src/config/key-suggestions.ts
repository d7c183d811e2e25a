import type { z } from 'zod';

/*
 * "Did you mean" for a config key a strict schema does not know (`usename`
 * for `username`), as the CLI's flags already have. The known keys are read
 * from the schema itself at the path, so a driver's own schema needs
 * nothing extra.
 */

/** The inner schema of the wrappers a config schema uses (optional, default, pipe, ...), or itself. */
function unwrapped(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
  if (def.innerType) return unwrapped(def.innerType);
  if (def.in) return unwrapped(def.in);
  return schema;
}

/** The object schemas a value at `path` may meet: each union branch is followed. */
function objectsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType[] {
  const inner = unwrapped(schema);
  const def = inner._zod.def as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    options?: z.core.$ZodType[];
    valueType?: z.core.$ZodType;
    element?: z.core.$ZodType;
  };
  if (def.type === 'union' && def.options) return def.options.flatMap((o) => objectsAt(o, path));
  const [head, ...rest] = path;
  if (head === undefined) return def.type === 'object' ? [inner] : [];
  const next =
    def.type === 'object'
      ? def.shape?.[String(head)]
      : def.type === 'record'
        ? def.valueType
        : def.type === 'array'
          ? def.element
          : undefined;
  return next ? objectsAt(next, rest) : [];
}

/** The keys a strict object at `path` of `schema` accepts. */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const keys = objectsAt(schema, path).flatMap((o) =>
    Object.keys((o._zod.def as { shape?: object }).shape ?? {}),
  );
  return [...new Set(keys)];
}

/** Edit distance (insert, delete, substitute), enough to catch a typo. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to `key` within a typo's reach (a third of its length, at least 1), if any. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const reach = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= reach && (best === undefined || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}
