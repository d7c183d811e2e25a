import { refuseUserInfo, secretString } from '@hybrid-broker/core/driver-kit';
import { z } from 'zod';

/** Explicit credentials: an access key pair, with a session token for temporary credentials. */
const keyCredentialsSchema = z.strictObject({
  /** Access key id (`AKIA...`, `ASIA...`); held as a Secret like the key itself so it never prints. */
  accessKeyId: secretString('an access key id'),
  /** Secret access key. */
  secretAccessKey: secretString('a secret access key'),
  /** Session token of temporary (STS) credentials. */
  sessionToken: secretString('a session token').optional(),
});

/** A named profile of the shared config/credentials files (`~/.aws/config`), including SSO profiles. */
const profileCredentialsSchema = z.strictObject({
  profile: z.string().min(1, { error: 'expected a profile name' }),
});

/** AWS regions look like `us-east-1`, `eu-central-2`, `us-gov-west-1`; emulators accept the same names. */
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

/**
 * Options of the `aws` driver.
 *
 * @example
 * { driver: 'aws', region: 'eu-west-1' }                                   // SDK default credential chain
 * { driver: 'aws', region: 'eu-west-1', credentials: { profile: 'ops' } }
 * { driver: 'aws', region: 'us-east-1', endpoint: 'http://127.0.0.1:5000',
 *   credentials: { accessKeyId: 'test', secretAccessKey: '${AWS_SECRET_ACCESS_KEY}' } }
 */
export const awsConfigSchema = z.strictObject({
  /** The region every call goes to, e.g. `eu-west-1`. */
  region: z.string().regex(REGION, { error: 'expected an AWS region name such as "eu-west-1"' }),
  /** Overrides the EC2 endpoint (moto, cloud-sim, a VPC interface endpoint). */
  endpoint: refuseUserInfo(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })).optional(),
  /**
   * Omitted: the SDK's default chain (environment, shared profile, SSO, web
   * identity, container and instance roles). `{ profile }` or explicit keys otherwise.
   */
  credentials: z.union([profileCredentialsSchema, keyCredentialsSchema]).optional(),
  /** The SDK's retry mode; `adaptive` also rate-limits the client after throttling. */
  retryMode: z.enum(['standard', 'adaptive']).default('standard'),
  /** Attempts per EC2 request, the first included (the SDK retries throttling, 5xx and network errors). */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /**
   * Base of the SDK's full-jitter exponential backoff, in ms, for every kind
   * of retry. Omitted: the SDK's own bases (100 ms; 500 ms after throttling).
   */
  retryBaseDelayMs: z.number().int().nonnegative().max(60_000).optional(),
  /** Most time one TCP (and TLS) connection may take to open. Default 5 000 ms. */
  connectionTimeoutMs: z.number().int().positive().default(5_000),
  /** Whole time of one request: connect, headers and the whole body. Default 60 000 ms. */
  requestTimeoutMs: z.number().int().positive().default(60_000),
  /**
   * Largest response body accepted, in bytes, counted while it streams. Default 16 MiB:
   * a 1000-instance DescribeInstances page (~6-10 KB of XML each) fits.
   */
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /**
   * Whose images `listImages` and image names in createServer see (DescribeImages `Owners`):
   * account ids, `self`, `amazon`, `aws-marketplace`. Default `['self']`: every public image
   * would be tens of thousands.
   */
  imageOwners: z.array(z.string().min(1)).min(1).default(['self']),
  /** Further DescribeImages filters every image list applies, e.g. `{ architecture: ['x86_64'] }`. */
  imageFilters: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
});

/** The `aws` driver's config as written in a broker config. */
export type AwsDriverConfigInput = z.input<typeof awsConfigSchema>;

/** The `aws` driver's config after validation (secrets held as `Secret`). */
export type AwsDriverConfig = z.output<typeof awsConfigSchema>;
