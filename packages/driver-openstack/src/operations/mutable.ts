/** A type with its readonly fields writable, for building a result field by field before returning it. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
