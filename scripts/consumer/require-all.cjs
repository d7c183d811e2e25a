// The consumer's CommonJS program: require() of every package (Node >= 22.12
// loads ES modules synchronously), each showing its main export.
const names = process.argv.slice(2);
const expected = {
  '@hybrid-broker/core': 'createBroker',
  '@hybrid-broker/core/driver-kit': 'defineDriver',
  '@hybrid-broker/cloud-sim': 'startCloudSim',
  '@hybrid-broker/testkit': 'describePlatformDriverContract',
  '@hybrid-broker/driver-openstack': 'openstackDriver',
  '@hybrid-broker/driver-openstack/layers': 'createRegionDriver',
  '@hybrid-broker/driver-cascading': 'cascadingDriver',
  '@hybrid-broker/driver-aws': 'awsDriver',
  '@hybrid-broker/driver-azure': 'azureDriver',
  '@hybrid-broker/cli': 'runCli',
};
for (const name of names) {
  const loaded = require(name);
  const member = expected[name];
  if (member !== undefined && loaded[member] === undefined)
    throw new Error(`require('${name}') has no ${member}`);
  console.log(
    `consumer cjs (${process.version}): require('${name}') gives ${Object.keys(loaded).length} exports`,
  );
}
