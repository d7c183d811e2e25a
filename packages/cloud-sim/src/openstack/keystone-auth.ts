import { SimError } from '../service.js';
import { UNAUTHORIZED_MESSAGE } from './fault-body.js';
import type { IdentityStore, Project, User } from './identity.js';
import { isObject, type JsonObject } from './json-fields.js';
import type { TokenGrant, TokenStore } from './tokens.js';

const unauthorized = (): SimError => new SimError(401, UNAUTHORIZED_MESSAGE);

/** Keystone's JSON-schema validation error (the message starts with the schema complaint). */
function invalid(message: string): SimError {
  return new SimError(400, message);
}

/**
 * Turns a `POST /v3/auth/tokens` body into what to issue: password (user by id, or name +
 * domain), application_credential (id, or name + user) or token (rescoping), then the scope.
 * Bad credentials are a 401 whose message never says which part was wrong, as Keystone does.
 */
export function resolveAuth(body: unknown, identity: IdentityStore, tokens: TokenStore): TokenGrant {
  const auth = isObject(body) ? body.auth : undefined;
  if (!isObject(auth)) throw invalid("'auth' is a required property");
  const ident = auth.identity;
  if (!isObject(ident)) throw invalid("'identity' is a required property");
  if (!Array.isArray(ident.methods) || ident.methods.length === 0) {
    throw invalid("'methods' is a required property");
  }
  const methods = ident.methods.filter((m): m is string => typeof m === 'string');
  const method = methods[0];
  if (methods.length !== 1 || method === undefined) throw unauthorized();
  const section = ident[method];
  if (!isObject(section)) throw invalid(`'${method}' is a required property of 'identity'`);
  if (method === 'application_credential') {
    if (auth.scope !== undefined) throw new SimError(401, 'Application credentials cannot request a scope.');
    const cred = applicationCredential(section, identity);
    return { user: cred.user, project: cred.project, methods, applicationCredential: cred };
  }
  if (method === 'password') {
    const user = passwordUser(section, identity);
    return { user, project: scope(auth.scope, user, identity), methods, applicationCredential: undefined };
  }
  if (method === 'token') {
    const parent = tokens.valid(typeof section.id === 'string' ? section.id : undefined);
    if (!parent) throw new SimError(404, `Could not find token: ${String(section.id)}.`);
    if (parent.applicationCredential) throw unauthorized();
    return {
      user: parent.user,
      project: auth.scope === undefined ? parent.project : scope(auth.scope, parent.user, identity),
      methods: [...new Set([...parent.methods, 'token'])],
      applicationCredential: undefined,
      expiresAt: parent.expiresAt,
      ...(parent.auditIds[0] ? { parentAuditId: parent.auditIds[0] } : {}),
    };
  }
  throw unauthorized();
}

function passwordUser(section: JsonObject, identity: IdentityStore): User {
  const u = section.user;
  if (!isObject(u) || typeof u.password !== 'string') throw invalid("'user' with 'password' is required");
  const user = findUser(u, identity);
  if (!user || user.password !== u.password) throw unauthorized();
  return user;
}

function findUser(ref: JsonObject, identity: IdentityStore): User | undefined {
  if (typeof ref.id === 'string') return identity.users.find((x) => x.id === ref.id);
  if (typeof ref.name !== 'string' || !isObject(ref.domain)) {
    throw invalid('a user needs an id, or a name and a domain');
  }
  const domain = identity.findDomain(ref.domain);
  return identity.users.find((x) => x.name === ref.name && x.domain.id === domain.id);
}

function applicationCredential(section: JsonObject, identity: IdentityStore) {
  let cred = undefined as (typeof identity.applicationCredentials)[number] | undefined;
  if (typeof section.id === 'string') {
    cred = identity.applicationCredentials.find((c) => c.id === section.id);
  } else if (typeof section.name === 'string' && isObject(section.user)) {
    const user = findUser(section.user, identity);
    cred = identity.applicationCredentials.find((c) => c.name === section.name && c.user.id === user?.id);
  } else {
    throw invalid('an application credential needs an id, or a name and a user');
  }
  if (!cred || typeof section.secret !== 'string' || cred.secret !== section.secret) throw unauthorized();
  return cred;
}

function scope(raw: unknown, user: User, identity: IdentityStore): Project | undefined {
  if (raw === undefined) {
    return identity.projects.find((p) => p.id === user.defaultProjectId && user.projectIds.has(p.id));
  }
  if (raw === 'unscoped') return undefined;
  if (!isObject(raw) || !isObject(raw.project)) throw unauthorized();
  const ref = raw.project;
  let project: Project | undefined;
  if (typeof ref.id === 'string') project = identity.projects.find((p) => p.id === ref.id);
  else if (typeof ref.name === 'string' && isObject(ref.domain)) {
    const domain = identity.findDomain(ref.domain);
    project = identity.projects.find((p) => p.name === ref.name && p.domain.id === domain.id);
  } else throw invalid('a project scope needs an id, or a name and a domain');
  if (!project || !user.projectIds.has(project.id)) throw unauthorized();
  return project;
}
