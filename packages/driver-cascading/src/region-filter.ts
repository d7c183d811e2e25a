/** A parsed region pattern: an exact name or a regular expression. */
export interface RegionPattern {
  /** Set when the pattern is valid. */
  readonly test?: (region: string) => boolean;
  /** Why the pattern is not valid. */
  readonly problem?: string;
}

const REGEX = /^\/(.+)\/([dgimsuyv]*)$/;

/**
 * Reads a pattern as written in config: text between slashes (optionally
 * followed by flags, e.g. `/^dc1-/i`) is a regular expression, anything
 * else an exact region name.
 */
export function parseRegionPattern(text: string): RegionPattern {
  const match = REGEX.exec(text);
  if (!match) return { test: (region) => region === text };
  try {
    // Global and sticky flags make `test` stateful; a filter must answer the same each time.
    const regex = new RegExp(match[1] ?? '', (match[2] ?? '').replace(/[gy]/g, ''));
    return { test: (region) => regex.test(region) };
  } catch (error) {
    return { problem: `expected a valid regular expression: ${(error as Error).message}` };
  }
}

/** Include/exclude lists, as validated config. */
export interface RegionFilterConfig {
  readonly include?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
}

/** Compiles include/exclude lists into one predicate: included (or no include list) and not excluded. */
export function compileRegionFilter(config: RegionFilterConfig): (region: string) => boolean {
  const compile = (list: readonly string[]) =>
    list.map((text) => parseRegionPattern(text).test ?? (() => false));
  const include = config.include === undefined ? undefined : compile(config.include);
  const exclude = compile(config.exclude ?? []);
  return (region) =>
    (include === undefined || include.some((test) => test(region))) && !exclude.some((test) => test(region));
}
