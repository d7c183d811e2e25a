import {
  endpointInterfaceSchema,
  endpointOverridesSchema,
  openstackConfigSchema,
} from '@hybrid-broker/driver-openstack';
import { z } from 'zod';
import { parseRegionPattern } from './region-filter.js';

const name = z.string().min(1, { error: 'expected a non-empty string' });

// The OpenStack driver's own fields, so any auth it accepts (auth, clouds.yaml, OS_*) works here too.
const openstack = openstackConfigSchema.shape;

/** A region name, or a regular expression written between slashes (`/^dc1-/i`). */
export const regionPatternSchema = name.superRefine((value, ctx) => {
  const problem = parseRegionPattern(value).problem;
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** Which catalog regions the driver uses. */
export const regionFilterSchema = z.strictObject({
  /** Only these regions (names or `/regex/`); default every region of the catalog. */
  include: z.array(regionPatternSchema).min(1).optional(),
  /** Never these regions (names or `/regex/`); applied after `include`. */
  exclude: z.array(regionPatternSchema).optional(),
});

/** What is known of one region beyond the catalog. */
export const regionSettingsSchema = z.strictObject({
  /** URLs that replace this region's catalog endpoints (NAT, proxies); `$(project_id)s` is substituted. */
  endpointOverrides: endpointOverridesSchema.optional(),
  /** The availability zones of this region, so a create naming one of them is routed here. */
  availabilityZones: z.array(name).min(1).optional(),
});

/** Options of the `cascading` driver. */
export const cascadingConfigSchema = z
  .strictObject({
    /** Credentials of the cascading Keystone; optional when `cloud` or `useEnvironment` supplies them. */
    auth: openstack.auth,
    /** A cloud name in clouds.yaml (+ secure.yaml); its region and endpoint overrides are ignored. */
    cloud: openstack.cloud,
    /** An explicit clouds.yaml path. */
    cloudsFile: openstack.cloudsFile,
    /** Read the OS_* environment variables (OS_REGION_NAME is ignored: every region is used). */
    useEnvironment: openstack.useEnvironment,
    /** Endpoint interfaces in order of preference. Default ["public"]. */
    interfaces: z.array(endpointInterfaceSchema).min(1).optional(),
    /** Which catalog regions to use. Default: all. */
    regions: regionFilterSchema.default({}),
    /** Per-region settings, by region name. */
    regionSettings: z.record(name, regionSettingsSchema).default({}),
    /**
     * Availability zone -> region, for creates that name only a zone. Without an
     * entry, a region listing the zone in `regionSettings`, then the region named
     * like the zone (the cascading convention region = AZ) is used.
     */
    availabilityZoneRegions: z.record(name, name).default({}),
    /**
     * What an id without a region prefix means: `search` asks every region (one
     * read each) and uses the one that knows it; `reject` refuses it.
     * Default `search`, since volume ids often come straight from Cinder.
     */
    bareIds: z.enum(['search', 'reject'], { error: 'expected "search" or "reject"' }).default('search'),
    novaMicroversion: openstack.novaMicroversion,
    /** As the openstack driver's: "same" (default) or "cloud" (each region's Nova decides). */
    availabilityZonePolicy: openstack.availabilityZonePolicy,
    requestTimeoutMs: openstack.requestTimeoutMs,
    maxResponseBytes: openstack.maxResponseBytes,
    /** As the openstack driver's: "fetch" (default) or "node-http". */
    transport: openstack.transport,
    /** A PEM CA bundle for the cloud's certificates, as clouds.yaml's `cacert` (selects node-http). */
    cacert: openstack.cacert,
    /** False skips certificate verification (test clouds only). */
    verify: openstack.verify,
    caching: openstack.caching,
  })
  .superRefine((value, ctx) => {
    if (value.auth === undefined && value.cloud === undefined && value.useEnvironment !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: 'expected auth, a clouds.yaml cloud name, or useEnvironment: true',
      });
    }
    const owner = new Map<string, string>();
    for (const [region, settings] of Object.entries(value.regionSettings)) {
      for (const [index, zone] of (settings.availabilityZones ?? []).entries()) {
        const other = owner.get(zone);
        if (other !== undefined && other !== region) {
          ctx.addIssue({
            code: 'custom',
            path: ['regionSettings', region, 'availabilityZones', index],
            message: `availability zone "${zone}" is already listed for region "${other}"`,
          });
        }
        owner.set(zone, region);
      }
    }
  });

/** The `cascading` driver's config as written. */
export type CascadingConfigInput = z.input<typeof cascadingConfigSchema>;
/** The `cascading` driver's config after validation. */
export type CascadingConfig = z.output<typeof cascadingConfigSchema>;
