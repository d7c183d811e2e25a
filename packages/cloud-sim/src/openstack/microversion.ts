import type { IncomingHttpHeaders } from 'node:http';
import { SimError } from '../service.js';

/** A service's microversion range, e.g. compute 2.1 - 2.96. */
export interface MicroversionRange {
  /** The token in `OpenStack-API-Version: <service> <version>`. */
  readonly service: 'compute' | 'volume';
  readonly major: number;
  readonly minMinor: number;
  readonly maxMinor: number;
  /** A legacy header also accepted (Nova's `X-OpenStack-Nova-API-Version`). */
  readonly legacyHeader?: string;
  /** The legacy header as spelled in `Vary` (e.g. `X-OpenStack-Nova-API-Version`). */
  readonly legacyHeaderName?: string;
}

/** Nova's range up to 2024.1 (Caracal). */
export const COMPUTE_VERSIONS: MicroversionRange = {
  service: 'compute',
  major: 2,
  minMinor: 1,
  maxMinor: 96,
  legacyHeader: 'x-openstack-nova-api-version',
  legacyHeaderName: 'X-OpenStack-Nova-API-Version',
};

/** Cinder v3's range up to 2024.1. */
export const VOLUME_VERSIONS: MicroversionRange = { service: 'volume', major: 3, minMinor: 0, maxMinor: 70 };

/** The requested minor version; the minimum when none is asked for, the maximum for `latest`. */
export function requestedMinor(headers: IncomingHttpHeaders, range: MicroversionRange): number {
  // Several layers ask per request (validation, echo, views): parse once per headers object.
  let byRange = parsed.get(headers);
  if (!byRange) {
    byRange = new Map();
    parsed.set(headers, byRange);
  }
  let minor = byRange.get(range);
  if (minor === undefined) {
    const raw = requestedText(headers, range);
    minor = raw === undefined ? range.minMinor : parseMinor(raw, range);
    byRange.set(range, minor);
  }
  return minor;
}

const parsed = new WeakMap<IncomingHttpHeaders, Map<MicroversionRange, number>>();

function parseMinor(raw: string, range: MicroversionRange): number {
  if (raw === 'latest') return range.maxMinor;
  const match = /^(\d+)\.(\d+)$/.exec(raw);
  if (!match)
    throw new SimError(400, `Invalid format for API version: ${raw}. Version must be '${range.major}.N'.`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major !== range.major || minor < range.minMinor || minor > range.maxMinor) {
    throw new SimError(
      406,
      `Version ${raw} is not supported by the API. Minimum is ${range.major}.${range.minMinor} and maximum is ${range.major}.${range.maxMinor}.`,
    );
  }
  return minor;
}

/** The echo headers for a response; a bad request header falls back to the minimum. */
export function microversionHeaders(
  headers: IncomingHttpHeaders,
  range: MicroversionRange,
): Readonly<Record<string, string>> {
  let minor: number;
  try {
    minor = requestedMinor(headers, range);
  } catch {
    minor = range.minMinor;
  }
  let byMinor = echoCache.get(range);
  if (!byMinor) {
    byMinor = new Map();
    echoCache.set(range, byMinor);
  }
  let out = byMinor.get(minor);
  if (!out) {
    out = echoHeaders(range, minor);
    byMinor.set(minor, out);
  }
  return out;
}

// Echo headers are the same for every request at one version: built once, shared (read-only).
const echoCache = new WeakMap<MicroversionRange, Map<number, Readonly<Record<string, string>>>>();

function echoHeaders(range: MicroversionRange, minor: number): Readonly<Record<string, string>> {
  const version = `${range.major}.${minor}`;
  const out: Record<string, string> = {
    'openstack-api-version': `${range.service} ${version}`,
    vary: 'OpenStack-API-Version',
  };
  if (range.legacyHeader) {
    out[range.legacyHeader] = version;
    out.vary = `OpenStack-API-Version, ${range.legacyHeaderName ?? range.legacyHeader}`;
  }
  return Object.freeze(out);
}

function requestedText(headers: IncomingHttpHeaders, range: MicroversionRange): string | undefined {
  const modern = headers['openstack-api-version'];
  if (typeof modern === 'string') {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === range.service && version) return version.toLowerCase();
    }
  }
  const legacy = range.legacyHeader ? headers[range.legacyHeader] : undefined;
  return typeof legacy === 'string' ? legacy.trim().toLowerCase() : undefined;
}
