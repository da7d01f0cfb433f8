import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyEntry } from '../../config';
import { ApiError } from '../errors';

/** The authenticated caller. */
export interface Principal {
  principal: string;
  roles: string[];
  groups: string[];
  /** Accounts this principal may act for; `null` = every account (support staff). */
  accounts: string[] | null;
  /** The person behind the key, when known (beneficiary rule). */
  employeeId: string | null;
}

/** A role of the contract. */
export type Role = 'submitter' | 'approver' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The route table's access rules: every route registered after auth, with its roles (null = public). */
    readonly routeAccess: readonly RouteAccess[];
  }
  interface FastifyContextConfig {
    /**
     * Roles that may call this route (any one suffices); absent = a public route. Checked in
     * `onRequest`, before the body is read, so an anonymous caller never gets a body parsed.
     */
    roles?: readonly Role[];
  }
}

/** Who may call one route. */
export interface RouteAccess {
  method: string;
  url: string;
  roles: readonly Role[] | null;
}

/** Paths whose routes must declare `config.roles`; building the app fails otherwise. */
const PROTECTED_PREFIXES = ['/v1/', '/codec/'];
/** Routes under a protected prefix that are public on purpose (a static sign-in page). */
const PUBLIC_ROUTES = new Set(['GET /codec/login', 'HEAD /codec/login', 'DELETE /codec/session']);

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const UNAUTHORIZED = 'a valid API key is required: Authorization: Bearer <key>';

/** The bearer key of a request, if it carries one. */
export function bearerKey(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

/** A route-level `onRequest` handler: 401 without a valid key, 403 without one of `roles`. */
function requireRoles(roles: readonly Role[]): onRequestAsyncHookHandler {
  return async (req) => {
    if (!req.principal) throw new ApiError(401, 'unauthorized', UNAUTHORIZED);
    if (!roles.some((r) => req.principal!.roles.includes(r))) throw new ApiError(403, 'forbidden', `this route needs one of the roles: ${roles.join(', ')}`);
  };
}

/**
 * Bearer API keys. Keys are compared as SHA-256 digests with `timingSafeEqual`, against every
 * entry, so timing does not reveal which key (or how much of one) matched; an entry may hold
 * the digest only (`keySha256`). Access is declared per route as `config.roles` and enforced in
 * that route's `onRequest`, after the rate limiter (register this plugin after it) and before
 * body parsing; a protected route without `config.roles` fails at start-up.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { keys: ApiKeyEntry[] }) => {
  const entries = opts.keys.map((k) => ({
    digest: k.keySha256 ? Buffer.from(k.keySha256, 'hex') : sha256(k.key!),
    principal: { principal: k.principal, roles: [...k.roles], groups: [...k.groups], accounts: k.accounts ? [...k.accounts] : null, employeeId: k.employeeId ?? null },
  }));

  const authenticate = (req: FastifyRequest): Principal | null => {
    const key = bearerKey(req);
    if (!key) return null;
    const digest = sha256(key);
    let found: Principal | null = null;
    for (const entry of entries) if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    return found;
  };

  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    req.principal = authenticate(req);
  });
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const roles = route.config?.roles;
    for (const method of methods) routeAccess.push({ method, url: route.url, roles: roles ?? null });
    if (!roles) {
      const unguarded = PROTECTED_PREFIXES.some((p) => route.url.startsWith(p)) && methods.some((m) => m !== 'OPTIONS' && !PUBLIC_ROUTES.has(`${m} ${route.url}`));
      if (unguarded) throw new Error(`route ${methods.join(',')} ${route.url} declares no config.roles: every /v1 and /codec route must`);
      return;
    }
    const hooks = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...hooks, requireRoles(roles)];
  });
}, { name: 'auth' });
