import { createHash } from 'node:crypto';
import { SimError } from '../service.js';
import type { IdentitySpec } from './openstack-options.js';

/** A domain reference as Keystone stores it. */
export interface Domain {
  readonly id: string;
  readonly name: string;
}

/** A project. */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
}

/** A user. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly password: string;
  readonly domain: Domain;
  readonly defaultProjectId: string | undefined;
  /** Project ids the user has roles on. */
  readonly projectIds: ReadonlySet<string>;
}

/** An application credential. */
export interface ApplicationCredential {
  readonly id: string;
  readonly name: string;
  readonly secret: string;
  readonly user: User;
  readonly project: Project;
}

/** The roles every assignment grants (Keystone's default `member` implies `reader`). */
export const ROLES = [
  { id: stableId('role:member'), name: 'member' },
  { id: stableId('role:reader'), name: 'reader' },
] as const;

/** The identity used when options give none. */
export const DEFAULT_IDENTITY: Required<IdentitySpec> = {
  domains: [{ id: 'default', name: 'Default' }],
  projects: [{ name: 'demo' }],
  users: [{ name: 'demo', password: 'secret-password', defaultProject: 'demo' }],
  applicationCredentials: [
    { name: 'demo-app-cred', secret: 'app-cred-secret', user: 'demo', project: 'demo' },
  ],
};

/** A 32-hex id derived from a label, so ids are stable across runs. */
export function stableId(label: string): string {
  return createHash('md5').update(label).digest('hex');
}

/** Keystone's users, projects and application credentials, read-only once built. */
export class IdentityStore {
  readonly domains: readonly Domain[];
  readonly projects: readonly Project[];
  readonly users: readonly User[];
  readonly applicationCredentials: readonly ApplicationCredential[];

  /** Builds the store; throws on references to unknown domains, users or projects. */
  constructor(spec: IdentitySpec = {}) {
    const s = { ...DEFAULT_IDENTITY, ...spec };
    this.domains = s.domains.map((d) => ({ id: d.id, name: d.name }));
    this.projects = s.projects.map((p) => {
      const domain = this.#domain(p.domain ?? 'default');
      return { id: p.id ?? stableId(`project:${domain.id}:${p.name}`), name: p.name, domain };
    });
    this.users = s.users.map((u) => {
      const domain = this.#domain(u.domain ?? 'default');
      const projects = u.projects?.map((ref) => this.#project(ref)) ?? this.projects;
      return {
        id: u.id ?? stableId(`user:${domain.id}:${u.name}`),
        name: u.name,
        password: u.password,
        domain,
        defaultProjectId: u.defaultProject === undefined ? undefined : this.#project(u.defaultProject).id,
        projectIds: new Set(projects.map((p) => p.id)),
      };
    });
    this.applicationCredentials = s.applicationCredentials.map((a) => {
      const user = this.users.find((u) => u.name === a.user || u.id === a.user);
      if (!user) throw new Error(`application credential ${a.name}: unknown user ${a.user}`);
      const project = this.#project(a.project);
      return {
        id: a.id ?? stableId(`appcred:${user.id}:${a.name}`),
        name: a.name,
        secret: a.secret,
        user,
        project,
      };
    });
  }

  /** Resolves a `{id}` or `{name}` domain reference; 401 when unknown (Keystone hides which part failed). */
  findDomain(ref: { id?: unknown; name?: unknown } | undefined): Domain {
    const found = this.domains.find((d) => (ref?.id !== undefined ? d.id === ref.id : d.name === ref?.name));
    if (!found) throw new SimError(401, 'The request you have made requires authentication.');
    return found;
  }

  #domain(ref: string): Domain {
    const found = this.domains.find((d) => d.id === ref || d.name === ref);
    if (!found) throw new Error(`unknown domain ${ref}`);
    return found;
  }

  #project(ref: string): Project {
    const found = this.projects.find((p) => p.id === ref || p.name === ref);
    if (!found) throw new Error(`unknown project ${ref}`);
    return found;
  }
}
