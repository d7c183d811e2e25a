import { SimError } from '../service.js';

/** A parsed JSON object (plain record). */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `body[key]` as an object, or a 400 naming the field. */
export function objectField(body: unknown, key: string, where = 'body'): JsonObject {
  const value = isObject(body) ? body[key] : undefined;
  if (!isObject(value))
    throw new SimError(400, `Invalid input for field/attribute ${key}. Value: missing in ${where}.`);
  return value;
}

/** `obj[key]` as a string, `undefined` if absent, a 400 if present but not a string. */
export function optionalString(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new SimError(
      400,
      `Invalid input for field/attribute ${key}. Value: ${JSON.stringify(value)}. is not a string`,
    );
  }
  return value;
}

/** `obj[key]` as a non-empty string or a 400. */
export function requiredString(obj: JsonObject, key: string): string {
  const value = optionalString(obj, key);
  if (value === undefined || value === '') {
    throw new SimError(
      400,
      `Invalid input for field/attribute ${key}. Value: None. None is not of type 'string'`,
    );
  }
  return value;
}

/** `obj[key]` as a flat string map (metadata), or a 400. */
export function stringMap(obj: JsonObject, key: string): Record<string, string> {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new SimError(400, `Invalid input for field/attribute ${key}. Value: ${JSON.stringify(value)}.`);
  }
  return { ...(value as Record<string, string>) };
}
