import { z } from 'zod';
import type { WaitOptions } from '../driver.js';
import type { RetryPolicy } from '../retry.js';
import type { ScaleOptions } from '../scale-options.js';
import { retryPolicySchema, scaleOptionsSchema, waitOptionsSchema } from './schema-helpers.js';

/**
 * Maps each driver kind to its config input type. A driver package adds
 * itself by declaration merging, so `driver: 'aws'` type-checks the rest:
 *
 * @example
 * declare module '@hybrid-broker/core' {
 *   interface DriverConfigMap { 'my-cloud': MyCloudConfigInput }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by driver packages through declaration merging
export interface DriverConfigMap {}

/** Options every platform may set, whatever its driver. */
export interface PlatformCommonConfig {
  /** Wait defaults for this platform's calls. */
  readonly wait?: WaitOptions;
  /** Retry policy for this platform's calls. */
  readonly retry?: RetryPolicy;
  /** How this platform behaves under many concurrent calls; every field has a default (see ScaleOptions). */
  readonly scale?: ScaleOptions;
}

/** One platform entry: `{ driver: <kind>, ...that driver's options }`. */
export type PlatformConfig = {
  [K in keyof DriverConfigMap]: { readonly driver: K } & PlatformCommonConfig & DriverConfigMap[K];
}[keyof DriverConfigMap];

/** A broker config: named platforms, and defaults for all of them. */
export interface BrokerConfig {
  readonly platforms: Readonly<Record<string, PlatformConfig>>;
  readonly defaults?: PlatformCommonConfig;
}

const PLATFORM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The outer shape of a broker config; each platform's own options are checked by its driver's schema. */
export const brokerConfigSchema = z.strictObject({
  platforms: z
    .record(
      z
        .string()
        .regex(PLATFORM_NAME, { error: 'expected a platform name of letters, digits, ".", "_" or "-"' }),
      z.looseObject({
        driver: z.string({ error: 'expected a driver kind (a string)' }).min(1),
        wait: waitOptionsSchema.optional(),
        retry: retryPolicySchema.optional(),
        scale: scaleOptionsSchema.optional(),
      }),
      { error: 'expected an object of named platforms' },
    )
    .refine((platforms) => Object.keys(platforms).length > 0, { error: 'expected at least one platform' }),
  defaults: z
    .strictObject({
      wait: waitOptionsSchema.optional(),
      retry: retryPolicySchema.optional(),
      scale: scaleOptionsSchema.optional(),
    })
    .optional(),
});
