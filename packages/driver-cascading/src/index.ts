/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The `cascading` driver of hybrid-broker: every cascaded OpenStack of one
 * (cascading) Keystone catalog as one platform, and each region as its own
 * OpenStack driver, all on one Keystone token.
 */
export { type BareIdSearch, type RegionHit, searchRegions } from './bare-id-search.js';
export { CASCADING_CAPABILITIES } from './cascading-capabilities.js';
export {
  type CascadingConfig,
  type CascadingConfigInput,
  cascadingConfigSchema,
  regionFilterSchema,
  regionPatternSchema,
  regionSettingsSchema,
} from './cascading-config.js';
export { cascadingDriver } from './cascading-definition.js';
export { CascadingDriver, type CascadingDriverOptions } from './cascading-driver.js';
export { buildCascadingDriver, type CascadingRuntime, type CascadingStack } from './cascading-stack.js';
export {
  type CascadingPlatform,
  type CreateCascadingOptions,
  createCascadingDriver,
} from './create-cascading-driver.js';
export { IdRouting, type IdRoutingOptions, type Routed, type RoutedPair } from './id-routing.js';
export { RegionDirectory, type RegionDirectoryOptions, type RegionHandle } from './region-directory.js';
export {
  type CascadedRegion,
  type DiscoveryOptions,
  discoverRegions,
  REQUIRED_SERVICES,
  type RegionTable,
} from './region-discovery.js';
export {
  compileRegionFilter,
  parseRegionPattern,
  type RegionFilterConfig,
  type RegionPattern,
} from './region-filter.js';
export { formatRegionId, parseRegionId, REGION_ID_SEPARATOR, type RegionRef } from './region-id.js';
export { inRegion } from './region-results.js';
export { RegionRouter, type RouteDecision, type ZoneMapConfig } from './region-router.js';
export { RegionView } from './region-view.js';
