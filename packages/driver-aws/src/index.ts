/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The hybrid-broker driver for AWS EC2/EBS. Register {@link awsDriver} with a
 * broker; the AWS SDK loads only when a platform of kind `aws` is first called.
 */
import type { AwsDriverConfigInput } from './aws-config.js';

export { type AwsDriverConfig, type AwsDriverConfigInput, awsConfigSchema } from './aws-config.js';
export { awsDriver } from './aws-definition.js';
export { clientTokenFor } from './client-token.js';

declare module '@hybrid-broker/core' {
  interface DriverConfigMap {
    aws: AwsDriverConfigInput;
  }
}
