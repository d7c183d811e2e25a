import type { Instance } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { toServer } from '../src/ec2-mappers.js';

describe('EC2 addresses', () => {
  it('keeps secondary private IPs and every interface, each labelled with its own subnet', () => {
    // DescribeInstances' instance shape (EC2 API reference: networkInterfaceSet with
    // privateIpAddressesSet and association), as the SDK deserializes it: two interfaces in
    // two subnets, the first with a secondary private IP and an Elastic IP.
    const instance: Instance = {
      InstanceId: 'i-1234567890abcdef0',
      State: { Name: 'running', Code: 16 },
      SubnetId: 'subnet-aaaa1111',
      VpcId: 'vpc-11112222',
      PrivateIpAddress: '10.0.1.10',
      PublicIpAddress: '54.1.2.3',
      NetworkInterfaces: [
        {
          NetworkInterfaceId: 'eni-1',
          SubnetId: 'subnet-aaaa1111',
          PrivateIpAddress: '10.0.1.10',
          Attachment: { DeviceIndex: 0 },
          PrivateIpAddresses: [
            { PrivateIpAddress: '10.0.1.10', Primary: true, Association: { PublicIp: '54.1.2.3' } },
            { PrivateIpAddress: '10.0.1.11', Primary: false },
          ],
          Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }],
        },
        {
          NetworkInterfaceId: 'eni-2',
          SubnetId: 'subnet-bbbb2222',
          PrivateIpAddress: '10.0.2.20',
          Attachment: { DeviceIndex: 1 },
          PrivateIpAddresses: [{ PrivateIpAddress: '10.0.2.20', Primary: true }],
        },
      ],
    };
    // Before: 10.0.1.10 and 54.1.2.3 only, both labelled with the instance's subnet.
    expect(toServer(instance, 'us-east-1').addresses).toEqual([
      { network: 'subnet-aaaa1111', address: '10.0.1.10', version: 4, type: 'private' },
      { network: 'subnet-aaaa1111', address: '54.1.2.3', version: 4, type: 'public' },
      { network: 'subnet-aaaa1111', address: '10.0.1.11', version: 4, type: 'private' },
      { network: 'subnet-aaaa1111', address: '2600:1f18::10', version: 6, type: 'public' },
      { network: 'subnet-bbbb2222', address: '10.0.2.20', version: 4, type: 'private' },
    ]);
  });

  it('an instance described without interfaces keeps its top-level addresses', () => {
    const instance: Instance = {
      InstanceId: 'i-12345678',
      SubnetId: 'subnet-1',
      PrivateIpAddress: '10.0.0.5',
    };
    expect(toServer(instance, 'us-east-1').addresses).toEqual([
      { network: 'subnet-1', address: '10.0.0.5', version: 4, type: 'private' },
    ]);
  });
});
