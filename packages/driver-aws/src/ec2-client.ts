import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import type { BrokerEventInput } from '@hybrid-broker/core';
import type { AwsDriverConfig } from './aws-config.js';
import { addCredentialFields, credentialSource, type InitializeStackLike } from './credential-fields.js';
import { DeadlineRetryStrategy } from './deadline-retry-strategy.js';
import { actionOfBody, type Ec2Budgets } from './ec2-budgets.js';
import { guardRequestHandler, type RequestHandlerLike } from './guarded-request-handler.js';
import { addRequestEvents, addThrottleWatch, type MiddlewareStackLike } from './request-events.js';

/**
 * Builds the EC2 client of one platform: region, endpoint, credentials (the
 * SDK's default chain unless a profile or keys are given), the SDK's retry
 * strategy (ours, the only retry layer for EC2 requests: see
 * `deadline-retry-strategy.ts`) and request events.
 * Secrets are revealed here and only here, to hand them to the SDK's signer.
 */
export async function createEc2Client(
  config: AwsDriverConfig,
  emit: (event: BrokerEventInput) => void,
  budgets?: Ec2Budgets,
  platform?: string,
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
  if (platform !== undefined) {
    addCredentialFields(
      client.middlewareStack as unknown as InitializeStackLike,
      credentialSource(platform, config.credentials),
    );
  }
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

function retryStrategyFor(config: AwsDriverConfig): DeadlineRetryStrategy {
  return new DeadlineRetryStrategy({
    maxAttempts: config.maxAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    mode: config.retryMode,
  });
}

/** Ends the backoff sleeps of `client`'s retry strategy (before `destroy()`, in the driver's `close()`). */
export async function closeRetries(client: EC2Client): Promise<void> {
  const strategy = await client.config.retryStrategy();
  if (strategy instanceof DeadlineRetryStrategy) strategy.close();
}
