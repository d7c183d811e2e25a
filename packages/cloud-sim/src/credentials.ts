import type { OpenStackSim } from './openstack/openstack-sim.js';

/** Ready-to-use credentials of the default user, project and application credential. */
export interface SimCredentials {
  /** Keystone v3 URL (ends with `/v3`). */
  readonly authUrl: string;
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  readonly userDomainName: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly projectDomainName: string;
  /** Region names in catalog order. */
  readonly regions: readonly string[];
  readonly applicationCredential:
    | { readonly id: string; readonly name: string; readonly secret: string }
    | undefined;
}

/** Keystone password auth of the default user, in the shape the openstack and cascading drivers take as `auth`. */
export interface SimPasswordAuth {
  readonly method: 'password';
  readonly url: string;
  readonly username: string;
  readonly userDomainName: string;
  readonly password: string;
  readonly projectName: string;
  readonly projectDomainName: string;
}

/**
 * The driver config `auth` for these credentials, by names.
 *
 * @example
 * createDriver(openstackDriver, { auth: passwordAuthOf(sim.credentials), region: 'RegionOne' });
 */
export function passwordAuthOf(credentials: SimCredentials): SimPasswordAuth {
  return {
    method: 'password',
    url: credentials.authUrl,
    username: credentials.username,
    userDomainName: credentials.userDomainName,
    password: credentials.password,
    projectName: credentials.projectName,
    projectDomainName: credentials.projectDomainName,
  };
}

/** The first user with its default (or first) project, and its first application credential. */
export function defaultCredentials(os: OpenStackSim, keystoneUrl: string): SimCredentials {
  const user = os.identity.users[0];
  if (!user) throw new Error('cloud-sim needs at least one user');
  const project = os.identity.projects.find((p) => p.id === user.defaultProjectId) ?? os.identity.projects[0];
  if (!project) throw new Error('cloud-sim needs at least one project');
  const appCred = os.identity.applicationCredentials.find((a) => a.user.id === user.id);
  return {
    authUrl: keystoneUrl,
    userId: user.id,
    username: user.name,
    password: user.password,
    userDomainName: user.domain.name,
    projectId: project.id,
    projectName: project.name,
    projectDomainName: project.domain.name,
    get regions() {
      return os.regions.list().map((r) => r.name);
    },
    applicationCredential: appCred && { id: appCred.id, name: appCred.name, secret: appCred.secret },
  };
}
