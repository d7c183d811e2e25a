// One broker call in a process of its own, for the crash tests to SIGKILL mid-call.
// argv: <driver kind> <config JSON> <operation> <request JSON> <options JSON>.
// Runs the built packages (`tsc -b`), as a deployed arbitrator would.
const [kind, configJson, operation, requestJson, optionsJson] = process.argv.slice(2);
const packages = new URL('../../packages/', import.meta.url);
const load = (path) => import(new URL(path, packages).href);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { createDriver } = await load('core/dist/index.js');
const definitions = {
  openstack: async () => (await load('driver-openstack/dist/index.js')).openstackDriver,
  cascading: async () => (await load('driver-cascading/dist/index.js')).cascadingDriver,
  aws: async () => (await load('driver-aws/dist/index.js')).awsDriver,
  azure: async () => (await load('driver-azure/dist/index.js')).azureDriver,
};
const config = JSON.parse(configJson);
if (kind === 'azure') {
  // a credential is code, not JSON: the sim takes any bearer token
  config.credentials = {
    type: 'token-credential',
    credential: { getToken: async () => ({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  };
}
const driver = createDriver(await definitions[kind](), config);
await driver[operation](JSON.parse(requestJson), JSON.parse(optionsJson));
// Reaching here means the parent killed too late: it treats this line as a failed setup.
process.stdout.write('finished\n');
await driver.close?.();
