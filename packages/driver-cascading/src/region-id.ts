import { BrokerError } from '@hybrid-broker/core';

/**
 * The separator between region and provider id. The region part is
 * percent-encoded (`encodeURIComponent`), which always encodes `:`, so the
 * first `:` of an id ends the region however the region is named; ordinary
 * names (`RegionOne`, `az1.dc-2`, `cloud_a`) stay as they are.
 */
export const REGION_ID_SEPARATOR = ':';

/** An id split into its region and the cloud's own id; `region` is undefined for a bare id. */
export interface RegionRef {
  readonly region: string | undefined;
  readonly providerId: string;
}

/**
 * The id the cascading driver hands out: `<region>:<provider id>`.
 *
 * @example
 * formatRegionId('RegionOne', '6f1c...') // 'RegionOne:6f1c...'
 * formatRegionId('a:b', 'x')             // 'a%3Ab:x'
 */
export function formatRegionId(region: string, providerId: string): string {
  return `${encodeURIComponent(region)}${REGION_ID_SEPARATOR}${providerId}`;
}

/**
 * Splits an id made by {@link formatRegionId}. An id without the separator is
 * bare (a cloud's own id). Anything else that does not read back exactly (an
 * empty part, a region not in canonical percent-encoding) is an
 * `invalid-request` naming `field`.
 */
export function parseRegionId(id: string, field: string): RegionRef {
  const at = id.indexOf(REGION_ID_SEPARATOR);
  if (at < 0) return { region: undefined, providerId: id };
  const encoded = id.slice(0, at);
  const providerId = id.slice(at + 1);
  let region: string | undefined;
  try {
    region = decodeURIComponent(encoded);
  } catch {
    region = undefined;
  }
  // Only the one canonical spelling is accepted, so equal resources always have equal ids.
  if (region === undefined || region === '' || providerId === '' || encodeURIComponent(region) !== encoded) {
    throw new BrokerError(
      'invalid-request',
      `${field} "${id}" is not a cascading id: expected "<region>${REGION_ID_SEPARATOR}<id>" with the region percent-encoded, or a bare id`,
      { field },
    );
  }
  return { region, providerId };
}
