import { defineDriver } from '@hybrid-broker/core/driver-kit';
import { AWS_CAPABILITIES } from './aws-capabilities.js';
import { awsConfigSchema } from './aws-config.js';
import { EC2_DESCRIBE_BUDGET, Ec2Budgets } from './ec2-budgets.js';

/**
 * The `aws` driver: EC2 instances and EBS volumes through `@aws-sdk/client-ec2`.
 * Importing this module does not load the SDK; `create` does, on a platform's first call.
 *
 * @example
 * const broker = createBroker({ platforms: { aws: { driver: 'aws', region: 'eu-west-1' } } }, { drivers: [awsDriver] });
 */
export const awsDriver = defineDriver({
  kind: 'aws',
  configSchema: awsConfigSchema,
  capabilities: AWS_CAPABILITIES,
  // EC2's non-mutating (Describe*) bucket; see ec2-budgets.ts for the source and the mutating one.
  defaultRequestBudget: EC2_DESCRIBE_BUDGET,
  async create(config, context) {
    // The SDK is a few MB of modules: load it only when a platform uses AWS.
    const { createEc2Client } = await import('./ec2-client.js');
    const { AwsDriver } = await import('./aws-driver.js');
    const budget = context.scale.requestBudget;
    const budgets = budget
      ? new Ec2Budgets(budget, context.services.clock, context.retry.maxRetryAfterMs)
      : undefined;
    const catalog = { owners: config.imageOwners, filters: config.imageFilters };
    return new AwsDriver(
      await createEc2Client(config, context.emit, budgets, context.platform),
      config.region,
      context,
      catalog,
    );
  },
});
