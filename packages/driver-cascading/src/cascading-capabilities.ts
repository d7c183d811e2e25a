import type { DriverCapabilities } from '@hybrid-broker/core';
import { OPENSTACK_CAPABILITIES } from '@hybrid-broker/driver-openstack';

/** What the cascading driver can do: the OpenStack driver's capabilities, across regions. */
export const CASCADING_CAPABILITIES: DriverCapabilities = { ...OPENSTACK_CAPABILITIES, regions: true };
