/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The `cascading` driver of hybrid-broker: every cascaded OpenStack of one
 * (cascading) Keystone catalog as one platform, and each region as its own
 * OpenStack driver, all on one Keystone token.
 */
export * from './bare-id-search.js';
export * from './cascading-capabilities.js';
export * from './cascading-config.js';
export * from './cascading-definition.js';
export * from './cascading-driver.js';
export * from './cascading-stack.js';
export * from './create-cascading-driver.js';
export * from './id-routing.js';
export * from './region-directory.js';
export * from './region-discovery.js';
export * from './region-filter.js';
export * from './region-id.js';
export * from './region-results.js';
export * from './region-router.js';
export * from './region-view.js';
