import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import type { BrokerEventInput } from '@hybrid-broker/core';
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/util-retry';
import type { AwsDriverConfig } from './aws-config.js';
import { actionOfBody, type Ec2Budgets } from './ec2-budgets.js';
import { guardRequestHandler, type RequestHandlerLike } from './guarded-request-handler.js';
import { addRequestEvents, addThrottleWatch, type MiddlewareStackLike } from './request-events.js';

/** The SDK clamps its backoff at 20 s; so do we when the base is configured. */
const MAX_BACKOFF_MS = 20_000;

/**
 * Builds the EC2 client of one platform: region, endpoint, credentials (the
 * SDK's default chain unless a profile or keys are given), the SDK's retry
 * strategy (the only retry layer for EC2 requests) and request events.
 * Secrets are revealed here and only here, to hand them to the SDK's signer.
 */
export async function createEc2Client(
  config: AwsDriverConfig,
  emit: (event: BrokerEventInput) => void,
  budgets?: Ec2Budgets,
): Promise<EC2Client> {
  const options: EC2ClientConfig = {
    region: config.region,
    retryStrategy: retryStrategyFor(config),
    // The SDK builds its NodeHttpHandler from these (requestTimeout is its socket idle timeout).
    requestHandler: {
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
    },
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...credentialsFor(config.credentials),
  };
  const client = new EC2Client(options);
  // Every HTTP attempt, SDK retries included, takes a token of its action's bucket.
  const beforeSend =
    budgets &&
    ((request: { body?: unknown }, signal: AbortSignal | undefined) =>
      budgets.take(actionOfBody(request.body), signal));
  guardRequestHandler(
    client.config.requestHandler as unknown as RequestHandlerLike,
    { requestTimeoutMs: config.requestTimeoutMs, maxResponseBytes: config.maxResponseBytes },
    beforeSend,
  );
  const stack = client.middlewareStack as unknown as MiddlewareStackLike;
  addRequestEvents(stack, emit);
  if (budgets) addThrottleWatch(stack, () => budgets.throttled());
  return client;
}

function credentialsFor(credentials: AwsDriverConfig['credentials']): Partial<EC2ClientConfig> {
  if (credentials === undefined) return {};
  if ('profile' in credentials) return { profile: credentials.profile };
  return {
    credentials: {
      accessKeyId: credentials.accessKeyId.reveal(),
      secretAccessKey: credentials.secretAccessKey.reveal(),
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken.reveal() }),
    },
  };
}

function retryStrategyFor(config: AwsDriverConfig): StandardRetryStrategy | AdaptiveRetryStrategy {
  const base = config.retryBaseDelayMs;
  const options = {
    maxAttempts: config.maxAttempts,
    ...(base === undefined
      ? {}
      : {
          // Same full-jitter curve as the SDK's, with one base for throttling and other retries.
          backoff: {
            setDelayBase: () => {},
            computeNextBackoffDelay: (retries: number) =>
              Math.floor(Math.random() * Math.min(MAX_BACKOFF_MS, base * 2 ** retries)),
          },
        }),
  };
  return config.retryMode === 'adaptive'
    ? new AdaptiveRetryStrategy(config.maxAttempts, options)
    : new StandardRetryStrategy(options);
}
